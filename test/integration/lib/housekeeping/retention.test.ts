// Retention on both drivers: archived signals not updated within SIGNAL_RETENTION_DAYS go with
// their topic assignments while recent archived and old active or paused ones stay; job_runs rows
// started before JOB_RUN_RETENTION_DAYS go whatever their status; the deletes come in bounded
// batches, stop after the batch in flight once shouldStop() says so or at the batch cap, survive a
// failing table, and are counted in retention_deleted_total. Ages are set with the database's
// clock, the one retention compares with; every test starts from empty tables.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deleteArchivedSignals, deleteOldJobRuns } from '../../../../lib/db/retention-repo.js';
import type { SignalStatus } from '../../../../lib/model/signal.js';
import { upsertSignals } from '../../../../lib/db/signals-upsert.js';
import { sql, type Sql } from '../../../../lib/db/sql.js';
import type { Db, Queryable } from '../../../../lib/db/types.js';
import { runRetention, type RetentionOptions } from '../../../../lib/housekeeping/retention.js';
import { retentionDeleted } from '../../../../lib/metrics/retention-metrics.js';
import { closeDatabases, DRIVERS, type TestDatabase } from '../../../support/databases.js';
import { quietLog, testJobContext } from '../../../support/job-context.js';
import { valueOf } from '../../../support/metric-values.js';
import { makeSignal } from '../../../support/signal-factory.js';

/** The defaults of lib/config.ts, but for what a test changes. */
const DEFAULTS: RetentionOptions = { signalRetentionDays: 90, jobRunRetentionDays: 30, batchSize: 1000, maxBatches: 50 };

/** Swallows the warnings of a failing batch, and keeps them for a test to read. */
/** A Queryable over `db` that shows each statement to `spy` before running it (and may fail it there). */
function watched(db: Queryable, spy: (statement: Sql) => void): Queryable {
  return {
    query: <Row>(statement: Sql): Promise<Row[]> => {
      try {
        spy(statement);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      return db.query<Row>(statement);
    },
  };
}

function deletesFrom(table: string, statements: readonly Sql[]): number {
  return statements.filter((statement) => statement.text.includes(`DELETE FROM ${table} `)).length;
}

/** Stores signals (source `retention`, source_id = key) and sets their updated_at `ageDays` back. */
async function addSignals(db: Db, specs: ReadonlyArray<{ key: string; status: SignalStatus; ageDays: number }>): Promise<void> {
  await upsertSignals(
    db,
    specs.map((spec, i) => makeSignal({ source: 'retention', sourceId: spec.key, status: spec.status }, i)),
  );
  for (const spec of specs) {
    await db.query(sql`
      UPDATE signals SET updated_at = now() - make_interval(days => ${spec.ageDays}::int)
      WHERE source = 'retention' AND source_id = ${spec.key}`);
  }
}

async function signalKeys(db: Db): Promise<string[]> {
  const rows = await db.query<{ key: string }>(sql`SELECT source_id AS key FROM signals WHERE source = 'retention' ORDER BY source_id`);
  return rows.map((row) => row.key);
}

/** Writes job_runs rows of job `key`, started `ageDays` ago. */
async function addJobRuns(db: Db, specs: ReadonlyArray<{ key: string; status: string; ageDays: number }>): Promise<void> {
  for (const spec of specs) {
    await db.query(sql`
      INSERT INTO job_runs (job, status, started_at)
      VALUES (${spec.key}, ${spec.status}, now() - make_interval(days => ${spec.ageDays}::int))`);
  }
}

async function jobRunKeys(db: Db): Promise<string[]> {
  const rows = await db.query<{ key: string }>(sql`SELECT job AS key FROM job_runs ORDER BY job`);
  return rows.map((row) => row.key);
}

/** `count` rows of each table past their retention: archived signals and succeeded runs, 100 days old. */
async function addOldRows(db: Db, count: number, tables: ReadonlyArray<'signals' | 'job_runs'> = ['signals', 'job_runs']): Promise<void> {
  const keys = Array.from({ length: count }, (_, i) => `old-${String(i)}`);
  if (tables.includes('signals')) await addSignals(db, keys.map((key) => ({ key, status: 'archived', ageDays: 100 })));
  if (tables.includes('job_runs')) await addJobRuns(db, keys.map((key) => ({ key, status: 'succeeded', ageDays: 100 })));
}

/**
 * Stores dashboard sessions named `key` (their id hash is the key's SHA-256, the key the key id),
 * created `createdHoursAgo`, expiring `expiresInHours` from now (negative: expired), maybe revoked.
 */
async function addWebSessions(db: Db, specs: ReadonlyArray<{ key: string; createdHoursAgo: number; expiresInHours: number; revoked?: boolean }>): Promise<void> {
  for (const spec of specs) {
    const idHash = createHash('sha256').update(spec.key).digest('hex');
    await db.query(sql`
      INSERT INTO web_sessions (id_hash, key_id, tier, created_at, expires_at, revoked_at)
      VALUES (${idHash}, ${spec.key}, 'admin', now() - make_interval(hours => ${spec.createdHoursAgo}::int),
              now() + make_interval(hours => ${spec.expiresInHours}::int), CASE WHEN ${spec.revoked === true}::boolean THEN now() END)`);
  }
}

async function webSessionKeys(db: Db): Promise<string[]> {
  const rows = await db.query<{ key: string }>(sql`SELECT key_id AS key FROM web_sessions ORDER BY key_id`);
  return rows.map((row) => row.key);
}

const opened: TestDatabase[] = [];

afterAll(async () => {
  await Promise.all(opened.map((database) => database.dispose()));
  await closeDatabases();
});

describe.each(DRIVERS)('retention on $driver', ({ driver, create }) => {
  let db: Db;

  beforeAll(async () => {
    const database = await create();
    opened.push(database);
    db = database.db;
  });

  beforeEach(async () => {
    await db.query(sql`TRUNCATE signals, job_runs, web_sessions CASCADE`);
  });

  it('deletes archived signals past the retention with their topic assignments, and keeps recent archived and old active or paused ones', async () => {
    // Prepare
    await addSignals(db, [
      { key: 'archived-100d', status: 'archived', ageDays: 100 },
      { key: 'archived-91d', status: 'archived', ageDays: 91 },
      { key: 'archived-89d', status: 'archived', ageDays: 89 },
      { key: 'active-400d', status: 'active', ageDays: 400 },
      { key: 'paused-400d', status: 'paused', ageDays: 400 },
    ]);
    const [topic] = await db.query<{ id: string }>(sql`
      INSERT INTO topics (path, name, kind) VALUES ('retention/test', 'Retention', 'taxonomy') RETURNING id::text AS id`);
    await db.query(sql`
      INSERT INTO signal_topics (signal_id, topic_id)
      SELECT id, ${topic?.id}::bigint FROM signals WHERE source = 'retention' AND source_id IN ('archived-100d', 'active-400d')`);

    // Act
    const result = await runRetention(db, DEFAULTS);

    // Assess
    expect(result).toEqual({ signalsDeleted: 2, jobRunsDeleted: 0, webSessionsDeleted: 0, batches: 3, stoppedEarly: false });
    expect(await signalKeys(db)).toEqual(['active-400d', 'archived-89d', 'paused-400d']);
    const assigned = await db.query<{ key: string }>(sql`
      SELECT s.source_id AS key FROM signal_topics st JOIN signals s ON s.id = st.signal_id`);
    const [left] = await db.query<{ count: number }>(sql`SELECT count(*)::int AS count FROM signal_topics`);
    expect(assigned.map((row) => row.key)).toEqual(['active-400d']);
    expect(left?.count).toBe(1);
  });

  it('deletes job_runs started before the retention whatever their status, a dead running or queued one included, and keeps recent ones', async () => {
    // Prepare
    await addJobRuns(db, [
      { key: 'succeeded-40d', status: 'succeeded', ageDays: 40 },
      { key: 'failed-31d', status: 'failed', ageDays: 31 },
      { key: 'running-45d', status: 'running', ageDays: 45 },
      { key: 'queued-60d', status: 'queued', ageDays: 60 },
      { key: 'skipped-29d', status: 'skipped', ageDays: 29 },
      { key: 'running-now', status: 'running', ageDays: 0 },
    ]);

    // Act
    const result = await runRetention(db, DEFAULTS);

    // Assess
    expect(result).toEqual({ signalsDeleted: 0, jobRunsDeleted: 4, webSessionsDeleted: 0, batches: 3, stoppedEarly: false });
    expect(await jobRunKeys(db)).toEqual(['running-now', 'skipped-29d']);
  });

  it('deletes expired and revoked dashboard sessions in bounded batches, counted, and keeps live ones', async () => {
    // Prepare: three sessions that can never be used again, two that can
    await addWebSessions(db, [
      { key: 'expired-1d', createdHoursAgo: 48, expiresInHours: -24 },
      { key: 'expired-1h', createdHoursAgo: 9, expiresInHours: -1 },
      { key: 'revoked-live', createdHoursAgo: 1, expiresInHours: 7, revoked: true },
      { key: 'live', createdHoursAgo: 1, expiresInHours: 7 },
      { key: 'live-long', createdHoursAgo: 0, expiresInHours: 100 },
    ]);
    const before = await valueOf(retentionDeleted, { table: 'web_sessions' });
    const statements: Sql[] = [];

    // Act: batches of 2 → 2 + 1
    const result = await runRetention(
      watched(db, (statement) => statements.push(statement)),
      { ...DEFAULTS, batchSize: 2 },
    );

    // Assess
    expect(deletesFrom('web_sessions', statements)).toBe(2);
    expect(result).toEqual({ signalsDeleted: 0, jobRunsDeleted: 0, webSessionsDeleted: 3, batches: 4, stoppedEarly: false });
    expect(await webSessionKeys(db)).toEqual(['live', 'live-long']);
    expect(await valueOf(retentionDeleted, { table: 'web_sessions' })).toBe(before + 3);
  });

  it('leaves ended dashboard sessions past the batch cap for the next run', async () => {
    // Prepare
    await addWebSessions(db, ['a', 'b', 'c'].map((key) => ({ key: `expired-${key}`, createdHoursAgo: 10, expiresInHours: -1 })));

    // Act: job_runs takes the first batch, web sessions the second (of 2 rows)
    const first = await runRetention(db, { ...DEFAULTS, batchSize: 2, maxBatches: 2 });
    const next = await runRetention(db, { ...DEFAULTS, batchSize: 2, maxBatches: 5 });

    // Assess
    expect(first).toMatchObject({ webSessionsDeleted: 2, batches: 2, stoppedEarly: true, stopReason: 'max_batches' });
    expect(next).toMatchObject({ webSessionsDeleted: 1, stoppedEarly: false });
    expect(await webSessionKeys(db)).toEqual([]);
  });

  it('honours other retentions than the defaults', async () => {
    // Prepare
    await addSignals(db, [
      { key: 'archived-8d', status: 'archived', ageDays: 8 },
      { key: 'archived-6d', status: 'archived', ageDays: 6 },
    ]);
    await addJobRuns(db, [
      { key: 'run-3d', status: 'succeeded', ageDays: 3 },
      { key: 'run-1d', status: 'succeeded', ageDays: 1 },
    ]);

    // Act
    const result = await runRetention(db, { ...DEFAULTS, signalRetentionDays: 7, jobRunRetentionDays: 2 });

    // Assess
    expect(result).toMatchObject({ signalsDeleted: 1, jobRunsDeleted: 1 });
    expect(await signalKeys(db)).toEqual(['archived-6d']);
    expect(await jobRunKeys(db)).toEqual(['run-1d']);
  });

  it('deletes in batches, one statement each, until a batch comes back short', async () => {
    // Prepare: 5 old rows per table, batches of 2 → 2 + 2 + 1 per table (and one finding no ended web session)
    await addOldRows(db, 5);
    const statements: Sql[] = [];

    // Act
    const result = await runRetention(
      watched(db, (statement) => statements.push(statement)),
      { ...DEFAULTS, batchSize: 2 },
    );

    // Assess
    expect(deletesFrom('job_runs', statements)).toBe(3);
    expect(deletesFrom('signals', statements)).toBe(3);
    expect(deletesFrom('web_sessions', statements)).toBe(1);
    expect(statements).toHaveLength(7);
    expect(result).toEqual({ signalsDeleted: 5, jobRunsDeleted: 5, webSessionsDeleted: 0, batches: 7, stoppedEarly: false });
    expect(await signalKeys(db)).toEqual([]);
    expect(await jobRunKeys(db)).toEqual([]);
  });

  it('stops after the batch in flight once shouldStop() says so, reporting that it stopped early', async () => {
    // Prepare: shouldStop() turns true while the first batch runs
    await addOldRows(db, 5);
    let stop = false;
    const statements: Sql[] = [];
    const stopping = watched(db, (statement) => {
      statements.push(statement);
      stop = true;
    });

    // Act
    const result = await runRetention(stopping, { ...DEFAULTS, batchSize: 2, run: testJobContext({ job: 'janitor', shouldStop: () => stop }) });

    // Assess: that batch committed, nothing else started (signals neither)
    expect(statements).toHaveLength(1);
    expect(result).toEqual({ signalsDeleted: 0, jobRunsDeleted: 2, webSessionsDeleted: 0, batches: 1, stoppedEarly: true, stopReason: 'time_budget' });
    expect(await jobRunKeys(db)).toHaveLength(3);
    expect(await signalKeys(db)).toHaveLength(5);
  });

  it('starts nothing when shouldStop() is true from the start', async () => {
    // Prepare
    await addOldRows(db, 1);

    // Act
    const result = await runRetention(db, { ...DEFAULTS, run: testJobContext({ job: 'janitor', shouldStop: () => true }) });

    // Assess
    expect(result).toEqual({ signalsDeleted: 0, jobRunsDeleted: 0, webSessionsDeleted: 0, batches: 0, stoppedEarly: true, stopReason: 'time_budget' });
    expect(await jobRunKeys(db)).toHaveLength(1);
  });

  it('stops at the batch cap, both tables together, and leaves the rest for the next run', async () => {
    // Prepare
    await addOldRows(db, 5);

    // Act: job_runs takes 3 batches of the 5, web sessions 1, signals the last one
    const first = await runRetention(db, { ...DEFAULTS, batchSize: 2, maxBatches: 5 });
    const next = await runRetention(db, { ...DEFAULTS, batchSize: 2, maxBatches: 5 });

    // Assess
    expect(first).toEqual({ signalsDeleted: 2, jobRunsDeleted: 5, webSessionsDeleted: 0, batches: 5, stoppedEarly: true, stopReason: 'max_batches' });
    expect(next).toEqual({ signalsDeleted: 3, jobRunsDeleted: 0, webSessionsDeleted: 0, batches: 4, stoppedEarly: false });
    expect(await signalKeys(db)).toEqual([]);
  });

  it('goes on with the other table when a batch fails, and reports the failure with what was deleted', async () => {
    // Prepare: every job_runs DELETE fails
    await addOldRows(db, 3);
    const warnings: string[] = [];
    const failing = watched(db, (statement) => {
      if (statement.text.includes('DELETE FROM job_runs ')) throw new Error('canceling statement due to statement timeout');
    });

    // Act
    const result = await runRetention(failing, { ...DEFAULTS, run: testJobContext({ job: 'janitor', log: quietLog(warnings) }) });

    // Assess
    expect(result).toEqual({
      signalsDeleted: 3,
      jobRunsDeleted: 0,
      webSessionsDeleted: 0,
      batches: 2,
      stoppedEarly: false,
      error: 'job_runs: canceling statement due to statement timeout',
    });
    expect(warnings).toEqual(['retention batch failed']);
    expect(await jobRunKeys(db)).toHaveLength(3);
    expect(await signalKeys(db)).toEqual([]);
  });

  // Postgres only, defined (not skipped) there: PGlite has one connection, so a transaction held
  // open there would hold every other query too.
  const onPostgres = driver === 'neon' ? [it] : [];
  for (const test of onPostgres) test('leaves a row another transaction holds for the next run instead of waiting for it', async () => {
    // Prepare
    await addOldRows(db, 2, ['signals']);

    // Act: retention on the pool's other connection while this transaction locks one of the two
    const result = await db.transaction(async (tx) => {
      await tx.query(sql`SELECT id FROM signals WHERE source = 'retention' AND source_id = 'old-0' FOR UPDATE`);
      return runRetention(db, DEFAULTS);
    });

    // Assess
    expect(result).toEqual({ signalsDeleted: 1, jobRunsDeleted: 0, webSessionsDeleted: 0, batches: 3, stoppedEarly: false });
    expect(await signalKeys(db)).toEqual(['old-0']);
    expect(await runRetention(db, DEFAULTS)).toMatchObject({ signalsDeleted: 1 });
  });

  it('counts what it deletes in retention_deleted_total, by table', async () => {
    // Prepare
    await addOldRows(db, 3, ['signals']);
    await addOldRows(db, 2, ['job_runs']);
    const signalsBefore = await valueOf(retentionDeleted, { table: 'signals' });
    const jobRunsBefore = await valueOf(retentionDeleted, { table: 'job_runs' });

    // Act
    await runRetention(db, { ...DEFAULTS, batchSize: 2 });

    // Assess
    expect(await valueOf(retentionDeleted, { table: 'signals' })).toBe(signalsBefore + 3);
    expect(await valueOf(retentionDeleted, { table: 'job_runs' })).toBe(jobRunsBefore + 2);
    const { values } = await retentionDeleted.get();
    expect(new Set(values.map((entry) => entry.labels.table))).toEqual(new Set(['signals', 'job_runs', 'web_sessions']));
  });

  it('refuses a retention or batch size out of range as a programming error, before any query', async () => {
    const unreachable: Queryable = { query: () => Promise.reject(new Error('no query expected')) };
    for (const olderThanDays of [0, -1, 1.5, 36_501, Number.NaN]) {
      expect(() => deleteArchivedSignals(unreachable, { olderThanDays, limit: 10 }), String(olderThanDays)).toThrow(RangeError);
      expect(() => deleteOldJobRuns(unreachable, { olderThanDays, limit: 10 }), String(olderThanDays)).toThrow(RangeError);
    }
    for (const limit of [0, 10_001, 2.5]) {
      expect(() => deleteOldJobRuns(unreachable, { olderThanDays: 30, limit }), String(limit)).toThrow(RangeError);
    }
    await expect(deleteOldJobRuns(db, { olderThanDays: 30, limit: 10_000 })).resolves.toBe(0);
  });
});
