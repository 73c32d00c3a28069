// Starting a job with the real `@aws-sdk/client-lambda` against a fake Lambda Invoke endpoint (a
// node:http server reached through LAMBDA_ENDPOINT): the wire request is what AWS expects — the
// path with the deployed function name, `X-Amz-Invocation-Type: Event`, a SigV4 signature, the
// admin payload — and Lambda's refusals surface as JobStartError with the SDK's error as cause.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '../../../../lib/config.js';
import { ConfigError } from '../../../../lib/errors.js';
import { errorText } from '../../../../lib/log/error-text.js';
import { JobStartError } from '../../../../lib/jobs/errors.js';
import { invokeJobAsync, jobFunctionName, resetLambdaClient } from '../../../../lib/jobs/invoke.js';

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface FakeLambda {
  endpoint: string;
  received: Received[];
  /** The answer to the next requests: status, error type header and body. */
  answer: { status: number; errorType?: string; body: string };
  close(): Promise<void>;
}

async function startFakeLambda(): Promise<FakeLambda> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      fake.received.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const headers: Record<string, string> = { 'x-amzn-requestid': 'fake-request' };
      if (fake.answer.errorType !== undefined) headers['x-amzn-errortype'] = fake.answer.errorType;
      if (fake.answer.body !== '') headers['content-type'] = 'application/json';
      response.writeHead(fake.answer.status, headers).end(fake.answer.body);
    });
  });
  const fake: FakeLambda = {
    endpoint: '',
    received: [],
    answer: { status: 202, body: '' },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.endpoint = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  return fake;
}

describe('starting a job through the Lambda Invoke API', () => {
  let lambda: FakeLambda;

  beforeAll(async () => {
    lambda = await startFakeLambda();
  });

  afterAll(async () => {
    await lambda.close();
  });

  beforeEach(() => {
    lambda.received.length = 0;
    lambda.answer = { status: 202, body: '' };
    vi.stubEnv('STAGE', 'local');
    vi.stubEnv('LAMBDA_ENDPOINT', lambda.endpoint);
    vi.stubEnv('FUNCTION_NAME_PREFIX', 'signal-harvester-test-');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    resetConfig();
    resetLambdaClient();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    resetConfig();
    resetLambdaClient();
  });

  it('sends an asynchronous, signed Invoke of the deployed function with the admin payload', async () => {
    // Act
    await invokeJobAsync('janitor', { source: 'admin', runId: '42' });

    // Assess
    expect(lambda.received).toHaveLength(1);
    const [request] = lambda.received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/2015-03-31/functions/signal-harvester-test-janitor/invocations');
    expect(request?.headers['x-amz-invocation-type']).toBe('Event');
    expect(request?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/eu-west-1\/lambda\/aws4_request, /);
    expect(JSON.parse(request?.body ?? '')).toEqual({ source: 'admin', runId: '42' });
  });

  it('names the function with the configured prefix, and refuses without one before any request', async () => {
    expect(jobFunctionName('evolve-topics')).toBe('signal-harvester-test-evolve-topics');

    vi.stubEnv('FUNCTION_NAME_PREFIX', '');
    resetConfig();

    await expect(invokeJobAsync('janitor', { source: 'admin', runId: '1' })).rejects.toThrow(ConfigError);
    expect(lambda.received).toHaveLength(0);
  });

  it("turns Lambda's refusal into a JobStartError that keeps the SDK's error as its cause", async () => {
    // Prepare: no such function
    lambda.answer = {
      status: 404,
      errorType: 'ResourceNotFoundException',
      body: JSON.stringify({ Type: 'User', message: 'Function not found: signal-harvester-test-discover' }),
    };

    // Act
    const attempt = invokeJobAsync('discover', { source: 'admin', runId: '7' });

    // Assess
    await expect(attempt).rejects.toThrow(JobStartError);
    const error = (await attempt.catch((thrown: unknown) => thrown)) as JobStartError;
    expect(error.status).toBe(502);
    expect((error.cause as Error).name).toBe('ResourceNotFoundException');
    expect(errorText(error)).toBe(
      'JobStartError: job discover could not be started (signal-harvester-test-discover) (cause: ResourceNotFoundException: Function not found: signal-harvester-test-discover)',
    );
  });

  it('refuses an answer other than 202 for an asynchronous invoke', async () => {
    lambda.answer = { status: 200, body: 'null' };

    await expect(invokeJobAsync('janitor', { source: 'admin', runId: '8' })).rejects.toThrow(JobStartError);
  });

  it('follows LAMBDA_ENDPOINT to a new endpoint (a local runtime restarted on another port)', async () => {
    // Prepare
    await invokeJobAsync('janitor', { source: 'admin', runId: '9' });
    const other = await startFakeLambda();
    vi.stubEnv('LAMBDA_ENDPOINT', other.endpoint);
    resetConfig();

    // Act
    await invokeJobAsync('janitor', { source: 'admin', runId: '10' });
    await other.close();

    // Assess
    expect(lambda.received.map((request) => JSON.parse(request.body) as unknown)).toEqual([{ source: 'admin', runId: '9' }]);
    expect(other.received.map((request) => JSON.parse(request.body) as unknown)).toEqual([{ source: 'admin', runId: '10' }]);
  });

  it('signs with the real credential chain outside stage local', async () => {
    vi.stubEnv('STAGE', 'dev');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLEDEV');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret-example');
    vi.stubEnv('DATABASE_URL', 'postgres://unused@127.0.0.1/none');
    resetConfig();

    await invokeJobAsync('janitor', { source: 'admin', runId: '11' });

    expect(lambda.received[0]?.headers.authorization).toMatch(/Credential=AKIDEXAMPLEDEV\//);
  });
});
