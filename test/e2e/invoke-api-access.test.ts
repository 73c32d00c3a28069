// Who may use the local runtime's Lambda Invoke API: the runtime listens on every interface here
// (host 0.0.0.0, the widest a developer could choose), and real HTTP requests arrive from the
// loopback and from this machine's non-loopback address. Only a loopback caller presenting the
// token generated at start (as the SigV4 access key id) is served; anyone else could start jobs or
// hand an HTTP function an event with a source IP of their choosing (any rate-limit bucket).
import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.js';

const configPath = fileURLToPath(new URL('../fixtures/runtime/serverless.yml', import.meta.url));
const PATH = '/2015-03-31/functions/echo/invocations';

function credential(token: string): string {
  return `AWS4-HMAC-SHA256 Credential=${token}/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00`;
}

/** This machine's first non-loopback IPv4 address. */
function externalAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)?.address;
  if (address === undefined) throw new Error('this test needs a non-loopback IPv4 interface (none found)');
  return address;
}

/** A POST from `localAddress` to `host`, answered with status and error type. */
function post(host: string, port: number, headers: Record<string, string>): Promise<{ status: number; errorType: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host, port, path: PATH, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, localAddress: host }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, errorType: res.headers['x-amzn-errortype'] as string | undefined }));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

describe('the local Invoke API', () => {
  let runtime: LocalRuntime;
  let port: number;

  beforeAll(async () => {
    runtime = await startLocalRuntime({ configPath, port: 0, host: '0.0.0.0', schedules: false, database: false });
    port = Number(new URL(runtime.url).port);
  });

  afterAll(async () => {
    await runtime.close();
  });

  it('refuses a loopback caller without the token, or with another one', async () => {
    const none = await post('127.0.0.1', port, {});
    const wrong = await post('127.0.0.1', port, { authorization: credential('local') });

    expect(none).toEqual({ status: 403, errorType: 'UnrecognizedClientException' });
    expect(wrong).toEqual({ status: 403, errorType: 'UnrecognizedClientException' });
  });

  it('refuses a caller from another address, token or not', async () => {
    const outside = await post(externalAddress(), port, { authorization: credential(runtime.invokeToken) });

    expect(outside).toEqual({ status: 403, errorType: 'AccessDeniedException' });
  });

  it('serves the AWS SDK signing with the token, as the admin function does', async () => {
    const client = new LambdaClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${String(port)}`, credentials: { accessKeyId: runtime.invokeToken, secretAccessKey: 'local' } });

    const output = await client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }));
    client.destroy();

    expect(output.StatusCode).toBe(204);
  });

  it('gives its own functions the token (LOCAL_INVOKE_TOKEN), so a job started by the admin API is served', () => {
    expect(process.env.LOCAL_INVOKE_TOKEN).toBe(runtime.invokeToken);
    expect(runtime.invokeToken.length).toBeGreaterThanOrEqual(32);
  });
});
