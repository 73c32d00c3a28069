// The janitor against the real Pushgateway. The Pushgateway stamps push_time_seconds with its own
// clock, so staleness is made by waiting: push, wait past a 1 s TTL, push a fresh group, sweep.
// The sweep runs on a job name of its own (never the real one with a short TTL: other suites push
// there in parallel); the scheduled handler runs on the real job with a TTL nothing of theirs reaches,
// through runJob, so its job_runs row lands in a PGlite database of this file's own.
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLambdaContext } from '../../../../infra/local/lambda-context.js';
import { getJobRun } from '../../../../lib/db/job-runs-repo.js';
import type { handler as JanitorHandler } from '../../../../scheduled/janitor.js';
import { sweepPushgateway } from '../../../../lib/metrics/janitor.js';
import { groupingPath, type Grouping } from '../../../../lib/metrics/pushgateway.js';
import { createPgliteDatabase, type TestDatabase } from '../../../support/databases.js';
import { services } from '../../../support/services.js';
import { buildScheduledEvent } from '../../../../infra/local/scheduled-event.js';

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

  it('runs as the scheduled handler: sweeps the real job, records its run, and pushes its own job metrics', async () => {
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

    // Assess: the sweep's result, inside the run's
    expect(run).toMatchObject({ job: 'janitor', status: 'succeeded' });
    expect(run.error).toBeUndefined();
    expect(run.result?.failed).toBe(0);
    expect(run.result?.skipped).toBeUndefined();
    expect(run.result?.kept).toBeGreaterThanOrEqual(0);
    // … recorded in job_runs with the sweep's counts
    const row = await getJobRun(database.db, run.runId ?? '');
    expect(row).toMatchObject({ job: 'janitor', status: 'succeeded', durationMs: run.durationMs, error: null });
    expect(row?.details).toMatchObject({ trigger: 'schedule', lock: 'memory', deleted: run.result?.deleted.length, failed: 0 });
    expect(row?.finishedAt).toBeInstanceOf(Date);
    // … and pushed
    const group = (await groups()).find((candidate) => candidate.labels.instance === containerId);
    const runs = group?.job_runs_total as { metrics: Array<{ labels: Record<string, string>; value: string }> } | undefined;
    // The grouping key's job replaces the metric's own `job` label: the job is the `function`.
    expect(runs?.metrics).toEqual([
      { labels: { job: 'signal-harvester', function: 'janitor', instance: containerId, status: 'succeeded' }, value: '1' },
    ]);
    expect(group?.job_last_success_timestamp_seconds).toBeDefined();
  });

  it('is skipped, touching nothing, where no Pushgateway is configured', async () => {
    // Prepare
    delete process.env.PUSHGATEWAY_URL;
    const handler = await freshHandler();
    const context = createLambdaContext({ functionName: 'signal-harvester-test-janitor', timeoutSeconds: 60, memorySize: 1024, region: 'us-east-1' });

    // Act
    const run = await handler(buildScheduledEvent({ region: 'us-east-1', functionName: 'signal-harvester-test-janitor' }), context);

    // Assess
    expect(run).toMatchObject({ job: 'janitor', status: 'skipped', reason: 'no_pushgateway' });
    expect(run.result).toEqual({ deleted: [], kept: 0, failed: 0, skipped: 'no_pushgateway' });
    const row = await getJobRun(database.db, run.runId ?? '');
    expect(row).toMatchObject({ status: 'skipped', error: null });
    expect(row?.details).toMatchObject({ trigger: 'schedule', reason: 'no_pushgateway', deleted: 0 });
  });
});
