// The janitor's two parts are independent: a Pushgateway that cannot be listed does not keep
// retention from deleting, a database that cannot be reached does not keep the sweep from running,
// and the run's outcome fails on either, naming it, while the details keep the other part's counts.
// The sweep runs on the real job with a TTL of a day (no group another suite pushes can be that
// stale, so nothing of theirs is deleted); retention runs on a PGlite database of this file's own.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../../../../lib/config.js';
import { sql } from '../../../../lib/db/sql.js';
import type { Db } from '../../../../lib/db/types.js';
import { housekeep, type HousekeepingResult } from '../../../../lib/housekeeping/housekeep.js';
import { janitorDetails, janitorOutcome } from '../../../../lib/jobs/catalog/janitor.js';
import type { JobContext } from '../../../../lib/model/job-context.js';
import { createPgliteDatabase, type TestDatabase } from '../../../support/databases.js';
import { quietLog, testJobContext } from '../../../support/job-context.js';
import { services } from '../../../support/services.js';

const ENV_NAMES = ['PUSHGATEWAY_URL', 'PUSHGATEWAY_GROUP_TTL_MS'] as const;
const savedEnv = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));

/** Nothing on this port answers: a connection is refused at once. */
const UNREACHABLE_PUSHGATEWAY = 'http://127.0.0.1:1';

function configure(pushgatewayUrl: string | undefined): void {
  if (pushgatewayUrl === undefined) delete process.env.PUSHGATEWAY_URL;
  else process.env.PUSHGATEWAY_URL = pushgatewayUrl;
  process.env.PUSHGATEWAY_GROUP_TTL_MS = String(24 * 60 * 60 * 1000);
  resetConfig();
}

/** A janitor run as runJob hands it, with a quiet logger that keeps its warnings. */
function jobContext(warnings: string[] = []): JobContext {
  return testJobContext({ job: 'janitor', remainingMs: () => 30_000, log: quietLog(warnings) });
}

const RETENTION_OK = { signalsDeleted: 0, jobRunsDeleted: 0, webSessionsDeleted: 0, batches: 3, stoppedEarly: false };
const SWEEP_OK = { deleted: [], kept: 3, failed: 0 };

describe('housekeeping, the janitor work', () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createPgliteDatabase();
    db = database.db;
  });

  afterEach(() => {
    for (const name of ENV_NAMES) {
      const saved = savedEnv[name];
      if (saved === undefined) delete process.env[name];
      else process.env[name] = saved;
    }
    resetConfig();
  });

  afterAll(async () => {
    await database.dispose();
  });

  it('still runs retention when the Pushgateway cannot be listed, and fails naming the sweep', async () => {
    // Prepare: one job_runs row past its retention
    configure(UNREACHABLE_PUSHGATEWAY);
    await db.query(sql`INSERT INTO job_runs (job, status, started_at) VALUES ('old', 'succeeded', now() - interval '40 days')`);
    const warnings: string[] = [];

    // Act
    const result = await housekeep(jobContext(warnings), { db: () => Promise.resolve(db) });

    // Assess
    expect(result.retention).toEqual({ signalsDeleted: 0, jobRunsDeleted: 1, webSessionsDeleted: 0, batches: 3, stoppedEarly: false });
    expect(result.pushgateway).toMatchObject({ deleted: [], kept: 0, failed: 0, error: expect.stringContaining('fetch failed') as unknown });
    expect(warnings).toEqual(['pushgateway sweep failed']);
    const outcome = janitorOutcome(result);
    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toMatch(/^Pushgateway sweep failed: /);
    expect(janitorDetails(result)).toMatchObject({ deleted: 0, failed: 0, sweep_error: result.pushgateway.error, retention: { job_runs_deleted: 1 } });
  });

  it('still sweeps the Pushgateway when the database cannot be reached, and fails naming retention', async () => {
    // Prepare
    configure(services.pushgatewayUrl);
    const warnings: string[] = [];

    // Act
    const result = await housekeep(jobContext(warnings), { db: () => Promise.reject(new Error('database unavailable')) });

    // Assess: the listing worked (a day's TTL deletes nothing), retention reports why it did nothing
    expect(result.pushgateway.error).toBeUndefined();
    expect(result.pushgateway.failed).toBe(0);
    expect(result.pushgateway.kept).toBeGreaterThanOrEqual(0);
    expect(result.retention).toEqual({ signalsDeleted: 0, jobRunsDeleted: 0, webSessionsDeleted: 0, batches: 0, stoppedEarly: false, error: 'database unavailable' });
    expect(warnings).toEqual(['retention failed']);
    expect(janitorOutcome(result)).toEqual({ status: 'failed', reason: 'retention failed: database unavailable' });
  });

  it('runs retention, and succeeds, where no Pushgateway is configured', async () => {
    // Prepare
    configure(undefined);

    // Act
    const result = await housekeep(jobContext(), { db: () => Promise.resolve(db) });

    // Assess
    expect(result).toEqual({ pushgateway: { deleted: [], kept: 0, failed: 0, skipped: 'no_pushgateway' }, retention: RETENTION_OK });
    expect(janitorOutcome(result)).toEqual({ status: 'succeeded' });
  });
});

describe('janitorOutcome', () => {
  it('succeeds when both parts did, retention stopped early or the sweep skipped included', () => {
    const stoppedEarly: HousekeepingResult = { pushgateway: SWEEP_OK, retention: { ...RETENTION_OK, batches: 50, stoppedEarly: true, stopReason: 'max_batches' } };
    const skipped: HousekeepingResult = { pushgateway: { deleted: [], kept: 0, failed: 0, skipped: 'no_pushgateway' }, retention: RETENTION_OK };

    expect(janitorOutcome(stoppedEarly)).toEqual({ status: 'succeeded' });
    expect(janitorOutcome(skipped)).toEqual({ status: 'succeeded' });
  });

  it('fails when stale groups are left behind, or when both parts failed, naming each', () => {
    const leftBehind: HousekeepingResult = { pushgateway: { ...SWEEP_OK, failed: 2 }, retention: RETENTION_OK };
    const both: HousekeepingResult = {
      pushgateway: { deleted: [], kept: 0, failed: 0, error: 'PushgatewayError: Pushgateway refused to list its groups (503)' },
      retention: { ...RETENTION_OK, signalsDeleted: 1000, error: 'signals: canceling statement due to statement timeout' },
    };

    expect(janitorOutcome(leftBehind)).toEqual({ status: 'failed', reason: '2 stale Pushgateway groups could not be deleted' });
    expect(janitorOutcome(both)).toEqual({
      status: 'failed',
      reason: 'Pushgateway sweep failed: PushgatewayError: Pushgateway refused to list its groups (503); retention failed: signals: canceling statement due to statement timeout',
    });
  });
});

describe('janitorDetails', () => {
  it("keeps the sweep's keys where they always were, retention's counts and why it stopped beside them", () => {
    const result: HousekeepingResult = {
      pushgateway: { deleted: [{ job: 'signal-harvester', function: 'signals', instance: 'a' }], kept: 4, failed: 0 },
      retention: { signalsDeleted: 7, jobRunsDeleted: 3, webSessionsDeleted: 2, batches: 50, stoppedEarly: true, stopReason: 'time_budget' },
    };

    expect(janitorDetails(result)).toEqual({
      deleted: 1,
      kept: 4,
      failed: 0,
      deleted_groups: ['/job/signal-harvester/function/signals/instance/a'],
      retention: { signals_deleted: 7, job_runs_deleted: 3, web_sessions_deleted: 2, batches: 50, stopped_early: true, stop_reason: 'time_budget' },
    });
  });

  it("names a skipped or failed sweep, and retention's error", () => {
    const skipped: HousekeepingResult = {
      pushgateway: { deleted: [], kept: 0, failed: 0, skipped: 'no_pushgateway' },
      retention: { ...RETENTION_OK, error: 'signals: canceling statement due to statement timeout' },
    };
    const unlisted: HousekeepingResult = { pushgateway: { deleted: [], kept: 0, failed: 0, error: 'TypeError: fetch failed' }, retention: RETENTION_OK };

    expect(janitorDetails(skipped)).toMatchObject({
      sweep_skipped: 'no_pushgateway',
      retention: { error: 'signals: canceling statement due to statement timeout' },
    });
    expect(janitorDetails(unlisted)).toMatchObject({ deleted: 0, sweep_error: 'TypeError: fetch failed' });
    expect(janitorDetails(unlisted)).not.toHaveProperty('sweep_skipped');
  });
});
