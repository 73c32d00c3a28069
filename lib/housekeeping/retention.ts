// Retention, as a loop over lib/db/retention-repo.ts's statements (and web-sessions-repo.ts's sweep):
// job_runs first, then ended web sessions, then archived signals, one bounded batch at a time, until a
// table has fewer than a batch left, the job's shouldStop() says stop, or RETENTION_MAX_BATCHES
// statements have run (all tables together). Whatever is left, the next janitor run (15 minutes
// later) goes on with. Each batch commits on its own and is counted once it has (the result and
// retention_deleted_total), so a later failure loses no count; a table whose batch fails is given up
// for this run, and the other tables still go.
import type { Config } from '../config.js';
import { deleteArchivedSignals, deleteOldJobRuns } from '../db/retention-repo.js';
import type { Queryable } from '../db/types.js';
import { deleteEndedWebSessions } from '../db/web-sessions-repo.js';
import { errorText } from '../log/error-text.js';
import { log as defaultLog } from '../log/index.js';
import { retentionDeleted } from '../metrics/retention-metrics.js';
import type { JobContext } from '../model/job-context.js';

/** The tables retention deletes from, in the order it does: the `table` label of retention_deleted_total. */
export const RETENTION_TABLES = ['job_runs', 'web_sessions', 'signals'] as const;
export type RetentionTable = (typeof RETENTION_TABLES)[number];

/** Why a run stopped while a table may still hold rows past their retention. */
export type RetentionStop = 'time_budget' | 'max_batches';

export interface RetentionOptions {
  /** Archived signals not updated for this many days are deleted (SIGNAL_RETENTION_DAYS). */
  signalRetentionDays: number;
  /** job_runs rows started this many days ago are deleted, whatever their status (JOB_RUN_RETENTION_DAYS). */
  jobRunRetentionDays: number;
  /** Rows one DELETE removes at most, 1 to 10,000 (RETENTION_BATCH_SIZE). */
  batchSize: number;
  /** DELETEs one run issues at most, all tables together (RETENTION_MAX_BATCHES). */
  maxBatches: number;
  /**
   * The janitor's run, as runJob created it: its shouldStop() is asked before every batch (true =
   * start no other) and a failed batch is logged to its log. Default: no budget, the global logger.
   */
  run?: Pick<JobContext, 'shouldStop' | 'log'>;
}

export interface RetentionResult {
  /** Queued or running job_runs no Lambda could still finish, marked failed first (present when any were). */
  abandonedRuns?: number;
  signalsDeleted: number;
  jobRunsDeleted: number;
  /** Dashboard sessions deleted for having expired or been revoked (their cookies were refused already). */
  webSessionsDeleted: number;
  /** DELETE statements run and committed, all tables together (a failed one is not counted). */
  batches: number;
  /** Rows past their retention may be left (`stopReason` says why): the next run goes on. */
  stoppedEarly: boolean;
  stopReason?: RetentionStop;
  /**
   * Why a table's deletes stopped on a failure, per table: `signals: NeonDbError: canceling statement
   * due to statement timeout`. The batches committed before it stand, and are counted above.
   */
  error?: string;
}

interface TablePurge {
  table: RetentionTable;
  /** Deletes one batch of at most `options.batchSize` rows; resolves with how many. */
  deleteBatch: (db: Queryable, options: RetentionOptions) => Promise<number>;
}

/**
 * job_runs first: a few hundred rows a day, so rarely more than one batch, and a backlog of signals
 * (the first run on years of history) cannot keep it waiting run after run; web sessions, a few a
 * day per person, before signals for the same reason.
 */
const PURGES: readonly TablePurge[] = [
  { table: 'job_runs', deleteBatch: (db, options) => deleteOldJobRuns(db, { olderThanDays: options.jobRunRetentionDays, limit: options.batchSize }) },
  { table: 'web_sessions', deleteBatch: (db, options) => deleteEndedWebSessions(db, options.batchSize) },
  { table: 'signals', deleteBatch: (db, options) => deleteArchivedSignals(db, { olderThanDays: options.signalRetentionDays, limit: options.batchSize }) },
];

/** The retention options of a configuration. */
export function retentionOptions(
  config: Pick<Config, 'SIGNAL_RETENTION_DAYS' | 'JOB_RUN_RETENTION_DAYS' | 'RETENTION_BATCH_SIZE' | 'RETENTION_MAX_BATCHES'>,
): RetentionOptions {
  return {
    signalRetentionDays: config.SIGNAL_RETENTION_DAYS,
    jobRunRetentionDays: config.JOB_RUN_RETENTION_DAYS,
    batchSize: config.RETENTION_BATCH_SIZE,
    maxBatches: config.RETENTION_MAX_BATCHES,
  };
}

/**
 * Deletes archived signals and job_runs rows past their retention, and ended web sessions, a batch at a time (see the top).
 * Never rejects for a failed batch: its table's error is in the result and the log.
 */
export async function runRetention(db: Queryable, options: RetentionOptions): Promise<RetentionResult> {
  const shouldStop = (): boolean => options.run?.shouldStop() ?? false;
  const log = options.run?.log ?? defaultLog;
  const deleted: Record<RetentionTable, number> = { job_runs: 0, web_sessions: 0, signals: 0 };
  const errors: string[] = [];
  let batches = 0;
  let stopReason: RetentionStop | undefined;

  for (const purge of PURGES) {
    for (;;) {
      if (batches >= options.maxBatches) stopReason = 'max_batches';
      else if (shouldStop()) stopReason = 'time_budget';
      if (stopReason !== undefined) break;
      let count: number;
      try {
        count = await purge.deleteBatch(db, options);
      } catch (error) {
        errors.push(`${purge.table}: ${errorText(error)}`);
        log.warn('retention batch failed', { table: purge.table, deleted: deleted[purge.table], error: error instanceof Error ? error : String(error) });
        break;
      }
      batches += 1;
      deleted[purge.table] += count;
      // By 0 too: the series exists from the first run on, so increase() sees the first deletes.
      retentionDeleted.inc({ table: purge.table }, count);
      // Fewer than a batch: nothing past the retention is left (bar rows locked just now).
      if (count < options.batchSize) break;
    }
    if (stopReason !== undefined) break;
  }

  const result: RetentionResult = {
    signalsDeleted: deleted.signals,
    jobRunsDeleted: deleted.job_runs,
    webSessionsDeleted: deleted.web_sessions,
    batches,
    stoppedEarly: stopReason !== undefined,
  };
  if (stopReason !== undefined) result.stopReason = stopReason;
  if (errors.length > 0) result.error = errors.join('; ');
  return result;
}
