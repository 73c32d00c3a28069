// The janitor's work (scheduled/janitor.ts runs it in runJob every 15 minutes): two independent
// parts side by side, the Pushgateway sweep (lib/metrics/janitor.ts) and retention
// (./retention.ts). Neither stops the other: each part's failure is caught into its own field of the
// result. The run fails when either part failed, with a reason naming it, so job_runs, the job
// metrics (no new last success: the "has not succeeded" alert) and Lambda's error count show it,
// while the other part's work stands and is counted in the details. Without PUSHGATEWAY_URL the
// sweep is skipped (`pushgateway.skipped: no_pushgateway`) but the run is not: retention still ran.
import { getConfig } from '../config.js';
import { getDb } from '../db/client.js';
import { failAbandonedRuns } from '../db/job-runs-repo.js';
import type { Queryable } from '../db/types.js';
import type { JobContext, JobOutcome } from '../job.js';
import { errorText } from '../jobs/error-text.js';
import { sweepConfiguredPushgateway, sweepDetails, sweepProblem, type SweepResult } from '../metrics/janitor.js';
import { retentionOptions, runRetention, type RetentionResult } from './retention.js';

/** The sweep's result; `error` when the Pushgateway could not list its groups (nothing was deleted). */
export type PushgatewayPart = SweepResult & { error?: string };

export interface JanitorResult {
  pushgateway: PushgatewayPart;
  retention: RetentionResult;
}

/** What the work reads of runJob's JobContext. */
export type JanitorContext = Pick<JobContext, 'signal' | 'shouldStop' | 'remainingMs' | 'log'>;

/** Test seams; production passes none. */
export interface JanitorOverrides {
  /** The database retention deletes from. Default: `getDb`. */
  db?: () => Promise<Queryable>;
}

function loggable(error: unknown): Error | string {
  return error instanceof Error ? error : String(error);
}

async function sweepPart(job: JanitorContext): Promise<PushgatewayPart> {
  try {
    return await sweepConfiguredPushgateway({ remainingMs: () => job.remainingMs(), signal: job.signal });
  } catch (error) {
    job.log.warn('pushgateway sweep failed', { error: loggable(error) });
    return { deleted: [], kept: 0, failed: 0, error: errorText(error) };
  }
}

/**
 * Runs no Lambda can still finish (queued, never delivered; running, the Lambda stopped) marked
 * failed, so they stop showing as queued or running; how many. A failure is logged and left for the
 * next run: it never holds up the deletes.
 */
async function failAbandoned(job: JanitorContext, db: Queryable, retentionDays: number): Promise<number> {
  try {
    const count = await failAbandonedRuns(db, retentionDays);
    if (count > 0) job.log.warn('abandoned job runs marked failed', { count });
    return count;
  } catch (error) {
    job.log.warn('marking abandoned job runs failed did not work', { error: loggable(error) });
    return 0;
  }
}

async function retentionPart(job: JanitorContext, db: () => Promise<Queryable>): Promise<RetentionResult> {
  try {
    const database = await db();
    const options = retentionOptions(getConfig());
    const abandonedRuns = await failAbandoned(job, database, options.jobRunRetentionDays);
    const result = await runRetention(database, { ...options, shouldStop: () => job.shouldStop(), log: job.log });
    return abandonedRuns > 0 ? { abandonedRuns, ...result } : result;
  } catch (error) {
    // runRetention catches its batches' failures: this is the database not opening at all.
    job.log.warn('retention failed', { error: loggable(error) });
    return { signalsDeleted: 0, jobRunsDeleted: 0, batches: 0, stoppedEarly: false, error: errorText(error) };
  }
}

/** One janitor run's work: both parts at once, each on its own. Never rejects for a part's failure. */
export async function runJanitor(job: JanitorContext, overrides: JanitorOverrides = {}): Promise<JanitorResult> {
  const [pushgateway, retention] = await Promise.all([sweepPart(job), retentionPart(job, overrides.db ?? getDb)]);
  return { pushgateway, retention };
}

/** Failed when either part failed (the reason names each), else succeeded, a skipped sweep included. */
export function janitorOutcome(result: JanitorResult): JobOutcome {
  const { pushgateway, retention } = result;
  const problems: string[] = [];
  const sweep = pushgateway.error === undefined ? sweepProblem(pushgateway) : `Pushgateway sweep failed: ${pushgateway.error}`;
  if (sweep !== undefined) problems.push(sweep);
  if (retention.error !== undefined) problems.push(`retention failed: ${retention.error}`);
  return problems.length === 0 ? { status: 'succeeded' } : { status: 'failed', reason: problems.join('; ') };
}

/**
 * A run's details (job_runs.details, shown by GET /v1/admin/jobs): the sweep's keys where they have
 * always been (deleted, kept, failed, deleted_groups), `sweep_skipped` / `sweep_error` when it did
 * not run or could not list, and retention's counts (and error) under `retention`.
 */
export function janitorDetails(result: JanitorResult): Record<string, unknown> {
  const { pushgateway, retention } = result;
  const { skipped, ...sweep } = sweepDetails(pushgateway);
  return {
    ...sweep,
    ...(skipped === undefined ? {} : { sweep_skipped: skipped }),
    ...(pushgateway.error === undefined ? {} : { sweep_error: pushgateway.error }),
    retention: {
      signals_deleted: retention.signalsDeleted,
      job_runs_deleted: retention.jobRunsDeleted,
      batches: retention.batches,
      stopped_early: retention.stoppedEarly,
      ...(retention.stopReason === undefined ? {} : { stop_reason: retention.stopReason }),
      ...(retention.error === undefined ? {} : { error: retention.error }),
    },
  };
}
