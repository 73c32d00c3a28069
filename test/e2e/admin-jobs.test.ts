// The admin jobs API end to end through the local runtime: the real serverless.yml, real handlers
// and real HTTP, PGlite loaded from the migrated snapshot, the real Pushgateway. POST starts the
// janitor exactly as in the cloud — a queued job_runs row, then an asynchronous Invoke through the
// AWS SDK, answered here by the runtime's own Lambda Invoke API — and GET shows the run finishing.
import { randomBytes } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerId, groupingPath } from '../../lib/metrics/pushgateway.js';
import { E2E_START_TIMEOUT_MS, startE2eRuntime, type E2eRuntime } from '../support/e2e-runtime.js';
import { services } from '../support/services.js';

const ADMIN_KEY = `bootstrap-${randomBytes(24).toString('hex')}`;

interface RunJson {
  id: string;
  job: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  details: Record<string, unknown>;
  error: string | null;
}

interface RunsPage {
  items: RunJson[];
  next_before: string | null;
}

describe('the admin jobs API through the local runtime', () => {
  let runtime: E2eRuntime;

  beforeAll(async () => {
    runtime = await startE2eRuntime({
      env: {
        ADMIN_API_KEY: ADMIN_KEY,
        // The janitor sweeps the real Pushgateway with a TTL of a day: no other suite's group is that old.
        PUSHGATEWAY_URL: services.pushgatewayUrl,
        PUSHGATEWAY_GROUP_TTL_MS: String(24 * 60 * 60 * 1000),
        LAMBDA_ENDPOINT: undefined,
      },
    });
  }, E2E_START_TIMEOUT_MS);

  afterAll(async () => {
    await runtime.close();
    // Every function of this process pushed under this container's instance label.
    const listing = (await (await fetch(`${services.pushgatewayUrl}/api/v1/metrics`)).json()) as { data: Array<{ labels: Record<string, string> }> };
    const ours = listing.data.filter((group) => group.labels.instance === containerId && group.labels.job === 'signal-harvester');
    await Promise.all(
      ours.map((group) => fetch(`${services.pushgatewayUrl}/metrics${groupingPath({ ...group.labels, job: 'signal-harvester' })}`, { method: 'DELETE' })),
    );
  });

  /** A request with the admin key, another `key`, or none (`null`). */
  function call(path: string, init: RequestInit = {}, key: string | null = ADMIN_KEY): Promise<Response> {
    const headers = new Headers(init.headers);
    if (key !== null) headers.set('x-api-key', key);
    return fetch(`${runtime.url}${path}`, { ...init, headers });
  }

  async function runs(query = ''): Promise<RunsPage> {
    const response = await call(`/v1/admin/jobs${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as RunsPage;
  }

  async function start(job: string): Promise<{ run_id: string; job: string; status: string }> {
    const response = await call(`/v1/admin/jobs/${job}`, { method: 'POST' });
    expect(response.status).toBe(202);
    return (await response.json()) as { run_id: string; job: string; status: string };
  }

  async function finished(runId: string): Promise<RunJson> {
    await expect
      .poll(async () => (await runs('?job=janitor&limit=100')).items.find((run) => run.id === runId)?.status, { timeout: 15_000, interval: 50 })
      .toMatch(/^(succeeded|failed|skipped)$/);
    const run = (await runs('?job=janitor&limit=100')).items.find((item) => item.id === runId);
    if (run === undefined) throw new Error(`run ${runId} disappeared`);
    return run;
  }

  it('starts the janitor: 202 with a queued run, which GET /v1/admin/jobs then shows finishing', async () => {
    // Act
    const started = await start('janitor');
    const run = await finished(started.run_id);

    // Assess: the answer, then the run as the job recorded it
    expect(started).toEqual({ run_id: expect.stringMatching(/^[1-9][0-9]*$/) as unknown, job: 'janitor', status: 'queued' });
    expect(run).toMatchObject({
      id: started.run_id,
      job: 'janitor',
      status: 'succeeded',
      error: null,
      details: { trigger: 'admin', requested_by: 'bootstrap', lock: 'memory', failed: 0 },
    });
    expect(run.duration_ms).toEqual(expect.any(Number));
    expect(Date.parse(run.finished_at ?? '')).toBeGreaterThanOrEqual(Date.parse(run.started_at));
  });

  it('lists runs newest first, one page at a time', async () => {
    // Prepare: two more runs, one after the other
    const first = await start('janitor');
    await finished(first.run_id);
    const second = await start('janitor');
    await finished(second.run_id);

    // Act
    const page = await runs('?job=janitor&limit=1');
    const next = await runs(`?job=janitor&limit=1&before=${page.next_before ?? ''}`);

    // Assess
    expect(page.items.map((run) => run.id)).toEqual([second.run_id]);
    expect(page.next_before).toBe(second.run_id);
    expect(next.items.map((run) => run.id)).toEqual([first.run_id]);
  });

  it('answers 404 for a job that does not exist, and 400 for a name that cannot be one', async () => {
    const unknown = await call('/v1/admin/jobs/no-such-job', { method: 'POST' });
    const malformed = await call('/v1/admin/jobs/Not_A_Job', { method: 'POST' });

    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect(malformed.status).toBe(400);
  });

  it('answers 401 without a key and 403 to a key below admin, for both routes', async () => {
    // Prepare: a premium key, the tier just below admin
    const created = await call('/v1/admin/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'jobs-e2e', tier: 'premium' }) });
    const { key } = (await created.json()) as { key: string };

    // Act, Assess
    for (const [path, method] of [['/v1/admin/jobs/janitor', 'POST'], ['/v1/admin/jobs', 'GET']] as const) {
      expect((await call(path, { method }, null)).status, `${method} ${path} anonymous`).toBe(401);
      expect((await call(path, { method }, key)).status, `${method} ${path} premium`).toBe(403);
    }
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const response = await call('/v1/admin/jobs/janitor', { method: 'DELETE' });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toContain('POST');
  });

  it('speaks the Lambda Invoke API: a RequestResponse invoke returns the handler result, an unknown function is ResourceNotFound', async () => {
    // Prepare: the real SDK client, as the admin function builds it
    const client = new LambdaClient({ region: 'us-east-1', endpoint: runtime.url, credentials: { accessKeyId: runtime.runtime.invokeToken, secretAccessKey: 'local' } });

    // Act
    const output = await client.send(new InvokeCommand({ FunctionName: 'signal-harvester-local-janitor', Payload: new TextEncoder().encode('{}') }));
    const missing = client.send(new InvokeCommand({ FunctionName: 'signal-harvester-local-nope', InvocationType: 'Event' }));

    // Assess
    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBeUndefined();
    const result = JSON.parse(new TextDecoder().decode(output.Payload)) as { job: string; status: string; runId: string };
    expect(result).toMatchObject({ job: 'janitor', status: 'succeeded' });
    expect((await runs('?job=janitor&limit=1')).items[0]).toMatchObject({ id: result.runId, details: { trigger: 'invoke' } });
    await expect(missing).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    client.destroy();
  });

  it('answers the Invoke API at the wire: an ARN names a function, DryRun is 204, a payload that is not JSON is refused', async () => {
    const invoke = (name: string, type: string, body: string): Promise<Response> =>
      fetch(`${runtime.url}/2015-03-31/functions/${encodeURIComponent(name)}/invocations`, {
        method: 'POST',
        headers: { 'x-amz-invocation-type': type, authorization: `AWS4-HMAC-SHA256 Credential=${runtime.runtime.invokeToken}/local/local/lambda/aws4_request` },
        body,
      });

    const dryRun = await invoke('arn:aws:lambda:us-east-1:000000000000:function:signal-harvester-local-janitor', 'DryRun', '');
    const malformed = await invoke('signal-harvester-local-janitor', 'Event', '{not json');
    const unknownType = await invoke('signal-harvester-local-janitor', 'Sometime', '{}');

    expect(dryRun.status).toBe(204);
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
    expect(unknownType.status).toBe(400);
    expect(unknownType.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
  });
});
