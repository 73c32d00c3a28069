// The janitor against the real Pushgateway. The Pushgateway stamps push_time_seconds with its own
// clock, so staleness is made by waiting: push, wait past a 1 s TTL, push a fresh group, sweep.
// The sweep runs on a job name of its own (never the real one with a short TTL: other suites push
// there in parallel); the scheduled handler runs on the real job with a TTL nothing of theirs reaches,
// through runJob, so its job_runs row lands in a PGlite database of this file's own, where its
// retention part deletes too (lib/housekeeping/retention.ts; its own tests are beside it).
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLambdaContext } from '../../../../infra/local/lambda-context.js';
import { getJobRun } from '../../../../lib/db/job-runs-repo.js';
import { upsertSignals } from '../../../../lib/db/signals-upsert.js';
import { sql } from '../../../../lib/db/sql.js';
import type { handler as JanitorHandler } from '../../../../scheduled/janitor.js';
import { sweepPushgateway } from '../../../../lib/metrics/pushgateway-sweep.js';
import { groupingPath, type Grouping } from '../../../../lib/metrics/pushgateway.js';
import { createPgliteDatabase, type TestDatabase } from '../../../support/databases.js';
import { services } from '../../../support/services.js';
import { buildScheduledEvent } from '../../../../infra/local/scheduled-event.js';
import { makeSignal } from '../../../support/signal-factory.js';

interface ApiGroup {
  labels: Record<string, string>;
  [metric: string]: unknown;
}

async function groups(): Promise<ApiGroup[]> {
  const response = await fetch(`${services.pushgatewayUrl}/api/v1/metrics`);
  return ((await response.json()) as { data: ApiGroup[] }).data;
}

async function exists(labels: Grouping): Promise<boolean> {
  const all = await groups();
  return all.some((group) => Object.keys(group.labels).length === Object.keys(labels).length && Object.entries(labels).every(([name, value]) => group.labels[name] === value));
}

const created: Grouping[] = [];

async function push(labels: Grouping): Promise<void> {
  created.push(labels);
  const response = await fetch(`${services.pushgatewayUrl}/metrics${groupingPath(labels)}`, {
    method: 'PUT',
    headers: { 'content-type': 'text/plain; version=0.0.4' },
    body: '# TYPE signal_harvester_janitor_probe gauge\nsignal_harvester_janitor_probe 1\n',
  });
  expect(response.ok).toBe(true);
}

const ENV_NAMES = ['PUSHGATEWAY_URL', 'PUSHGATEWAY_GROUP_TTL_MS'] as const;

/** An archived signal of `key` last updated `ageDays` ago, and a succeeded run of job `key` started then. */
async function addAgedRows(database: TestDatabase, key: string, ageDays: number): Promise<void> {
  await upsertSignals(database.db, [makeSignal({ source: 'janitor', sourceId: key, status: 'archived' })]);
  await database.db.query(sql`
    UPDATE signals SET updated_at = now() - make_interval(days => ${ageDays}::int) WHERE source = 'janitor' AND source_id = ${key}`);
  await database.db.query(sql`
    INSERT INTO job_runs (job, status, started_at) VALUES (${key}, 'succeeded', now() - make_interval(days => ${ageDays}::int))`);
}

/** Which of `keys` still have their signal, and their job_runs row. */
async function remaining(database: TestDatabase, keys: string[]): Promise<{ signals: string[]; runs: string[] }> {
  const signals = await database.db.query<{ key: string }>(sql`
    SELECT source_id AS key FROM signals WHERE source = 'janitor' AND source_id = ANY(${keys}::text[]) ORDER BY source_id`);
  const runs = await database.db.query<{ key: string }>(sql`SELECT job AS key FROM job_runs WHERE job = ANY(${keys}::text[]) ORDER BY job`);
  return { signals: signals.map((row) => row.key), runs: runs.map((row) => row.key) };
}
const savedEnv = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));

describe('the Pushgateway janitor', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createPgliteDatabase();
  });

  beforeEach(() => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  /**
   * The scheduled handler on a fresh module graph (configuration read anew), with this file's
   * database installed in that graph's own lib/db/client.js.
   */
  async function freshHandler(): Promise<typeof JanitorHandler> {
    vi.resetModules();
    const { setDb } = await import('../../../../lib/db/client.js');
    setDb(database.db);
    return (await import('../../../../scheduled/janitor.js')).handler;
  }

  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(created.splice(0).map((labels) => fetch(`${services.pushgatewayUrl}/metrics${groupingPath(labels)}`, { method: 'DELETE' })));
  });

  afterAll(async () => {
    await database.dispose();
    for (const name of ENV_NAMES) {
      const saved = savedEnv[name];
      if (saved === undefined) delete process.env[name];
      else process.env[name] = saved;
    }
  });

  it("deletes its job's groups older than the TTL, keeps the fresh ones and never touches another job's", async () => {
    // Prepare
    const job = `signal-harvester-test-${randomUUID().slice(0, 8)}`;
    const otherJob = `someone-else-${randomUUID().slice(0, 8)}`;
    const staleA: Grouping = { job, function: 'signals', instance: 'old-a' };
    const staleB: Grouping = { job, function: 'api/v2', instance: 'old-b' };
    const foreign: Grouping = { job: otherJob, function: 'signals', instance: 'old-c' };
    const fresh: Grouping = { job, function: 'signals', instance: 'new' };
    await push(staleA);
    await push(staleB);
    await push(foreign);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await push(fresh);

    // Act
    const result = await sweepPushgateway({ url: services.pushgatewayUrl, ttlMs: 1_000, job });

    // Assess
    expect(result.failed).toBe(0);
    expect(result.kept).toBe(1);
    expect(result.deleted).toHaveLength(2);
    expect(result.deleted).toEqual(expect.arrayContaining([expect.objectContaining(staleA), expect.objectContaining(staleB)]));
    // The Pushgateway applies a DELETE asynchronously (it answers 202), so poll briefly.
    await expect.poll(() => exists(staleA), { timeout: 2_000, interval: 20 }).toBe(false);
    await expect.poll(() => exists(staleB), { timeout: 2_000, interval: 20 }).toBe(false);
    expect(await exists(fresh)).toBe(true);
    expect(await exists(foreign)).toBe(true);
  });

  it('runs as the scheduled handler: sweeps the real job, applies retention, records its run, and pushes its metrics', async () => {
    // Prepare: a TTL of a day, so no group another suite is pushing right now can be stale
    process.env.PUSHGATEWAY_URL = services.pushgatewayUrl;
    process.env.PUSHGATEWAY_GROUP_TTL_MS = String(24 * 60 * 60 * 1000);
    const handler = await freshHandler();
    const { containerId } = await import('../../../../lib/metrics/pushgateway.js');
    const own: Grouping = { job: 'signal-harvester', function: 'janitor', instance: containerId };
    created.push(own);
    const context: Context = createLambdaContext({ functionName: 'signal-harvester-test-janitor', timeoutSeconds: 60, memorySize: 1024, region: 'us-east-1' });

    // Act
    const run = await handler(buildScheduledEvent({ region: 'us-east-1', functionName: 'signal-harvester-test-janitor' }), context);

    // Assess: both parts' results, inside the run's (nothing in this database is old yet: one
    // batch per table, each finding nothing)
    expect(run).toMatchObject({ job: 'janitor', status: 'succeeded' });
    expect(run.error).toBeUndefined();
    expect(run.result?.pushgateway.failed).toBe(0);
    expect(run.result?.pushgateway.error).toBeUndefined();
    expect(run.result?.pushgateway.skipped).toBeUndefined();
    expect(run.result?.pushgateway.kept).toBeGreaterThanOrEqual(0);
    expect(run.result?.retention).toEqual({ signalsDeleted: 0, jobRunsDeleted: 0, webSessionsDeleted: 0, batches: 3, stoppedEarly: false });
    // … recorded in job_runs with each part's counts
    const row = await getJobRun(database.db, run.runId ?? '');
    expect(row).toMatchObject({ job: 'janitor', status: 'succeeded', durationMs: run.durationMs, error: null });
    expect(row?.details).toMatchObject({
      trigger: 'schedule',
      lock: 'memory',
      deleted: run.result?.pushgateway.deleted.length,
      failed: 0,
      retention: { signals_deleted: 0, job_runs_deleted: 0, web_sessions_deleted: 0, batches: 3, stopped_early: false },
    });
    expect(row?.finishedAt).toBeInstanceOf(Date);
    // … and pushed
    const group = (await groups()).find((candidate) => candidate.labels.instance === containerId);
    const runs = group?.job_runs_total as { metrics: Array<{ labels: Record<string, string>; value: string }> } | undefined;
    // The grouping key's job replaces the metric's own `job` label: the job is the `function`.
    expect(runs?.metrics).toEqual([
      { labels: { job: 'signal-harvester', function: 'janitor', instance: containerId, status: 'succeeded' }, value: '1' },
    ]);
    expect(group?.job_last_success_timestamp_seconds).toBeDefined();
    // … retention's counter among them, a series per table from the first run on
    const deleted = group?.retention_deleted_total as { metrics: Array<{ labels: Record<string, string>; value: string }> } | undefined;
    expect(deleted?.metrics.map((metric) => [metric.labels.table, metric.value]).sort()).toEqual([
      ['job_runs', '0'],
      ['signals', '0'],
      ['web_sessions', '0'],
    ]);
  });

  it('skips the sweep where no Pushgateway is configured, still applies retention, and succeeds', async () => {
    // Prepare: rows past their retention (defaults: 90 days for archived signals, 30 for runs) and rows within it
    delete process.env.PUSHGATEWAY_URL;
    await addAgedRows(database, 'aged-100d', 100);
    await addAgedRows(database, 'aged-20d', 20);
    const handler = await freshHandler();
    const context = createLambdaContext({ functionName: 'signal-harvester-test-janitor', timeoutSeconds: 60, memorySize: 1024, region: 'us-east-1' });

    // Act
    const run = await handler(buildScheduledEvent({ region: 'us-east-1', functionName: 'signal-harvester-test-janitor' }), context);

    // Assess
    expect(run).toMatchObject({ job: 'janitor', status: 'succeeded' });
    expect(run.reason).toBeUndefined();
    expect(run.result).toEqual({
      pushgateway: { deleted: [], kept: 0, failed: 0, skipped: 'no_pushgateway' },
      retention: { signalsDeleted: 1, jobRunsDeleted: 1, webSessionsDeleted: 0, batches: 3, stoppedEarly: false },
    });
    expect(await remaining(database, ['aged-100d', 'aged-20d'])).toEqual({ signals: ['aged-20d'], runs: ['aged-20d'] });
    const row = await getJobRun(database.db, run.runId ?? '');
    expect(row).toMatchObject({ status: 'succeeded', error: null });
    expect(row?.details).toMatchObject({
      trigger: 'schedule',
      sweep_skipped: 'no_pushgateway',
      deleted: 0,
      retention: { signals_deleted: 1, job_runs_deleted: 1 },
    });
    expect(row?.details).not.toHaveProperty('reason');
  });

  it('fails the run when the Pushgateway cannot be listed, with retention done all the same', async () => {
    // Prepare: nothing answers on port 1
    process.env.PUSHGATEWAY_URL = 'http://127.0.0.1:1';
    await addAgedRows(database, 'aged-40d', 40);
    const handler = await freshHandler();
    const context = createLambdaContext({ functionName: 'signal-harvester-test-janitor', timeoutSeconds: 60, memorySize: 1024, region: 'us-east-1' });

    // Act
    const thrown = await handler(buildScheduledEvent({ region: 'us-east-1', functionName: 'signal-harvester-test-janitor' }), context).catch((error: unknown) => error);

    // Assess: Lambda sees a failed invocation…
    expect(thrown).toMatchObject({ name: 'JobFailedError', message: expect.stringContaining('Pushgateway sweep failed') as unknown });
    const runId = (thrown as { runId: string | null }).runId;
    // … recorded as failed, the sweep's error beside retention's counts
    const row = await getJobRun(database.db, runId ?? '');
    expect(row).toMatchObject({ job: 'janitor', status: 'failed', error: expect.stringMatching(/^Pushgateway sweep failed: /) as unknown });
    expect(row?.details).toMatchObject({ sweep_error: expect.stringContaining('fetch failed') as unknown, retention: { job_runs_deleted: 1 } });
    expect(await remaining(database, ['aged-40d'])).toEqual({ signals: ['aged-40d'], runs: [] });
  });
});
