// The jobs API's handlers on the admin app (app.request, no server), with job_runs in PGlite and
// Lambda faked at the wire (a node:http server behind LAMBDA_ENDPOINT): a start writes the queued
// run before the invoke and sends its id; a refused invoke answers 502 and finishes the run as
// failed with the reason; an unknown job is a 404 that writes nothing.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mountJobsApi } from '../../../../lib/api/jobs-api.js';
import { resetConfig } from '../../../../lib/config.js';
import { resetDb, setDb } from '../../../../lib/db/client.js';
import { getJobRun, listJobRuns } from '../../../../lib/db/job-runs-repo.js';
import { createApp, type App } from '../../../../lib/http/app.js';
import { resetLambdaClient } from '../../../../lib/jobs/invoke.js';
import { resetLog } from '../../../../lib/log/index.js';
import { createPgliteDatabase, type TestDatabase } from '../../../support/databases.js';
import { MemoryKeyStore } from '../../../support/memory-key-store.js';

interface Invocation {
  path: string;
  type: string | undefined;
  payload: { source: string; runId: string };
}

describe('the jobs API', () => {
  let database: TestDatabase;
  let server: Server;
  let app: App;
  let adminKey: string;
  let adminKeyId: string;
  const invocations: Invocation[] = [];
  /** What the fake Lambda answers: 202, or an error status with its error type. */
  let answer: { status: number; errorType?: string } = { status: 202 };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const type = request.headers['x-amz-invocation-type'];
        invocations.push({ path: request.url ?? '', type: Array.isArray(type) ? type[0] : type, payload: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Invocation['payload'] });
        const headers: Record<string, string> = answer.errorType === undefined ? {} : { 'x-amzn-errortype': answer.errorType, 'content-type': 'application/json' };
        response.writeHead(answer.status, headers).end(answer.errorType === undefined ? '' : JSON.stringify({ Type: 'User', message: 'Rate exceeded' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    vi.stubEnv('LAMBDA_ENDPOINT', `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`);
    vi.stubEnv('FUNCTION_NAME_PREFIX', 'signal-harvester-test-');
    vi.stubEnv('STAGE', 'local');
    resetConfig();
    resetLog();
    resetLambdaClient();
    database = await createPgliteDatabase();
    setDb(database.db);
    const keys = new MemoryKeyStore();
    const issued = keys.add({ tier: 'admin' });
    adminKey = issued.key;
    adminKeyId = issued.record.id;
    app = createApp({ name: 'admin', keys: () => keys });
    mountJobsApi(app);
  });

  afterAll(async () => {
    await resetDb();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    vi.unstubAllEnvs();
    resetConfig();
    resetLambdaClient();
  });

  beforeEach(() => {
    invocations.length = 0;
    answer = { status: 202 };
  });

  function post(path: string): Promise<Response> {
    return Promise.resolve(app.request(path, { method: 'POST', headers: { 'x-api-key': adminKey } }));
  }

  it('writes the queued run first, then invokes the job asynchronously with its id', async () => {
    // Act
    const response = await post('/v1/admin/jobs/evolve-topics');

    // Assess
    expect(response.status).toBe(202);
    const body = (await response.json()) as { run_id: string; job: string; status: string };
    expect(body).toEqual({ run_id: expect.stringMatching(/^[1-9][0-9]*$/) as unknown, job: 'evolve-topics', status: 'queued' });
    expect(invocations).toEqual([
      { path: '/2015-03-31/functions/signal-harvester-test-evolve-topics/invocations', type: 'Event', payload: { source: 'admin', runId: body.run_id } },
    ]);
    expect(await getJobRun(database.db, body.run_id)).toMatchObject({
      job: 'evolve-topics',
      status: 'queued',
      details: { trigger: 'admin', requested_by: adminKeyId },
      finishedAt: null,
    });
  });

  it('answers 502 when Lambda refuses the invoke, and finishes the run as failed with the reason', async () => {
    // Prepare
    answer = { status: 429, errorType: 'TooManyRequestsException' };
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);

    // Act
    const response = await post('/v1/admin/jobs/discover');

    // Assess: the client hears only that it failed; the run says why
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'job_start_failed', message: 'internal error' });
    const [run] = await listJobRuns(database.db, { job: 'discover', limit: 1 });
    expect(run).toMatchObject({ status: 'failed', durationMs: 0 });
    expect(run?.error).toMatch(/^JobStartError: job discover could not be started \(signal-harvester-test-discover\) \(cause: TooManyRequestsException: /);
    vi.restoreAllMocks();
  });

  it('answers 404 for an unknown job, writing and invoking nothing', async () => {
    const before = await listJobRuns(database.db, { limit: 1000 });

    const response = await post('/v1/admin/jobs/reindex');

    expect(response.status).toBe(404);
    expect(invocations).toEqual([]);
    expect(await listJobRuns(database.db, { limit: 1000 })).toHaveLength(before.length);
  });
});
