// Housekeeping, the janitor job's work (lib/jobs/catalog/janitor.ts runs it every 15 minutes): two
// independent parts side by side, the Pushgateway sweep (lib/metrics/pushgateway-sweep.ts) and
// retention (./retention.ts). Neither stops the other: each part's failure is caught into its own field of the
// result. The run fails when either part failed, with a reason naming it, so job_runs, the job
// metrics (no new last success: the "has not succeeded" alert) and Lambda's error count show it,
// while the other part's work stands and is counted in the details. Without PUSHGATEWAY_URL the
// sweep is skipped (`pushgateway.skipped: no_pushgateway`) but the run is not: retention still ran.
import { getConfig } from '../config.js';
import { getDb } from '../db/client.js';
import { failAbandonedRuns } from '../db/job-runs-repo.js';
import type { Queryable } from '../db/types.js';
import { errorText } from '../log/error-text.js';
import { sweepConfiguredPushgateway, type SweepResult } from '../metrics/pushgateway-sweep.js';
import type { JobContext } from '../model/job-context.js';
import { retentionOptions, runRetention, type RetentionResult } from './retention.js';

/** The sweep's result; `error` when the Pushgateway could not list its groups (nothing was deleted). */
export type PushgatewayPart = SweepResult & { error?: string };

export interface HousekeepingResult {
  pushgateway: PushgatewayPart;
  retention: RetentionResult;
}

/** Test seams; production passes none. */
export interface HousekeepingOverrides {
  /** The database retention deletes from. Default: `getDb`. */
  db?: () => Promise<Queryable>;
}

function loggable(error: unknown): Error | string {
  return error instanceof Error ? error : String(error);
}

async function sweepPart(run: JobContext): Promise<PushgatewayPart> {
  try {
    return await sweepConfiguredPushgateway(run);
  } catch (error) {
    run.log.warn('pushgateway sweep failed', { error: loggable(error) });
    return { deleted: [], kept: 0, failed: 0, error: errorText(error) };
  }
}

/**
 * Runs no Lambda can still finish (queued, never delivered; running, the Lambda stopped) marked
 * failed, so they stop showing as queued or running; how many. A failure is logged and left for the
 * next run: it never holds up the deletes.
 */
async function failAbandoned(run: JobContext, db: Queryable, retentionDays: number): Promise<number> {
  try {
    const count = await failAbandonedRuns(db, retentionDays);
    if (count > 0) run.log.warn('abandoned job runs marked failed', { count });
    return count;
  } catch (error) {
    run.log.warn('marking abandoned job runs failed did not work', { error: loggable(error) });
    return 0;
  }
}

async function retentionPart(run: JobContext, db: () => Promise<Queryable>): Promise<RetentionResult> {
  try {
    const database = await db();
    const options = retentionOptions(getConfig());
    const abandonedRuns = await failAbandoned(run, database, options.jobRunRetentionDays);
    const result = await runRetention(database, { ...options, run });
    return abandonedRuns > 0 ? { abandonedRuns, ...result } : result;
  } catch (error) {
    // runRetention catches its batches' failures: this is the database not opening at all.
    run.log.warn('retention failed', { error: loggable(error) });
    return { signalsDeleted: 0, jobRunsDeleted: 0, webSessionsDeleted: 0, batches: 0, stoppedEarly: false, error: errorText(error) };
  }
}

/** One janitor run's work: both parts at once, each on its own. Never rejects for a part's failure. */
export async function housekeep(run: JobContext, overrides: HousekeepingOverrides = {}): Promise<HousekeepingResult> {
  const [pushgateway, retention] = await Promise.all([sweepPart(run), retentionPart(run, overrides.db ?? getDb)]);
  return { pushgateway, retention };
}
