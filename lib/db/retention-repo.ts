// Retention's statements (lib/housekeeping/retention.ts runs them in a loop): each deletes one
// bounded batch of rows past their retention and says how many it deleted, so a backlog of any size
// goes in short transactions that lock a batch's rows only, never a table. The batch's rows are
// taken `FOR UPDATE SKIP LOCKED`: a row another transaction is changing (an archived signal being
// restored, a run being finished) is left for the next run instead of waited for, and the condition
// is checked again on the row as it is once locked. The age is measured with the database's clock,
// the one that wrote updated_at and started_at.
import { sql, type Sql } from './sql.js';
import type { Queryable } from './types.js';

/** Largest batch one statement deletes (RETENTION_BATCH_SIZE's bound). */
export const MAX_RETENTION_BATCH = 10_000;
/** Longest retention, days (SIGNAL_RETENTION_DAYS's and JOB_RUN_RETENTION_DAYS's bound): 100 years. */
export const MAX_RETENTION_DAYS = 36_500;

export interface RetentionBatch {
  /** Rows older than this many days go: an integer from 1 to MAX_RETENTION_DAYS. */
  olderThanDays: number;
  /** At most this many rows: an integer from 1 to MAX_RETENTION_BATCH. */
  limit: number;
}

function checked(batch: RetentionBatch): RetentionBatch {
  const { olderThanDays, limit } = batch;
  if (!Number.isInteger(olderThanDays) || olderThanDays < 1 || olderThanDays > MAX_RETENTION_DAYS) {
    throw new RangeError(`retention must be an integer from 1 to ${String(MAX_RETENTION_DAYS)} days, got ${String(olderThanDays)}`);
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RETENTION_BATCH) {
    throw new RangeError(`batch size must be an integer from 1 to ${String(MAX_RETENTION_BATCH)}, got ${String(limit)}`);
  }
  return batch;
}

async function deletedCount(db: Queryable, statement: Sql): Promise<number> {
  const [row] = await db.query<{ deleted: number }>(statement);
  return row?.deleted ?? 0;
}

/**
 * Deletes up to `limit` archived signals not updated for `olderThanDays` days, oldest ids first;
 * their signal_topics rows go with them (ON DELETE CASCADE). Active and paused signals are never
 * touched, whatever their age. Resolves with how many were deleted: fewer than `limit` means none
 * is left (but for rows locked at that moment).
 */
export function deleteArchivedSignals(db: Queryable, batch: RetentionBatch): Promise<number> {
  const { olderThanDays, limit } = checked(batch);
  // ORDER BY id: without an index on updated_at, walking the primary key stops at the batch's last
  // row, where ordering by age would sort every archived signal first.
  return deletedCount(
    db,
    sql`
      WITH batch AS (
        SELECT id FROM signals
        WHERE status = 'archived' AND updated_at < now() - make_interval(days => ${olderThanDays}::int)
        ORDER BY id
        LIMIT ${limit}::int
        FOR UPDATE SKIP LOCKED
      ), deleted AS (
        DELETE FROM signals WHERE id IN (SELECT id FROM batch) RETURNING 1
      )
      SELECT count(*)::int AS deleted FROM deleted`,
  );
}

/**
 * Deletes up to `limit` job_runs rows started `olderThanDays` days ago or earlier, oldest first,
 * whatever their status: a `running` or `queued` row that old can never finish (a run lasts at most
 * Lambda's 15 minutes, an asynchronous invoke waits at most 6 hours), and a retention of a day or
 * more never reaches a live run. Resolves with how many were deleted, as deleteArchivedSignals.
 */
export function deleteOldJobRuns(db: Queryable, batch: RetentionBatch): Promise<number> {
  const { olderThanDays, limit } = checked(batch);
  // job_runs_started_idx (started_at) serves both the condition and the order.
  return deletedCount(
    db,
    sql`
      WITH batch AS (
        SELECT id FROM job_runs
        WHERE started_at < now() - make_interval(days => ${olderThanDays}::int)
        ORDER BY started_at
        LIMIT ${limit}::int
        FOR UPDATE SKIP LOCKED
      ), deleted AS (
        DELETE FROM job_runs WHERE id IN (SELECT id FROM batch) RETURNING 1
      )
      SELECT count(*)::int AS deleted FROM deleted`,
  );
}
