// janitor, every 15 minutes: housekeeping (lib/housekeeping/housekeep.ts) — deletes this service's
// Pushgateway groups that no container has pushed to within PUSHGATEWAY_GROUP_TTL_MS, so the
// Pushgateway stays bounded as Lambda containers come and go, and, in bounded batches, archived
// signals and job_runs rows past their retention (SIGNAL_RETENTION_DAYS, JOB_RUN_RETENTION_DAYS)
// and expired or revoked dashboard sessions (web_sessions).
// Here, how its result counts and what of it job_runs.details keeps.
import { housekeep, type HousekeepingResult } from '../../housekeeping/housekeep.js';
import { sweepDetails, sweepProblem } from '../../metrics/pushgateway-sweep.js';
import type { JobOutcome } from '../run-job.js';
import { scheduledJob } from '../scheduled-job.js';

/** Failed when either part failed (the reason names each), else succeeded, a skipped sweep included. */
export function janitorOutcome(result: HousekeepingResult): JobOutcome {
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
export function janitorDetails(result: HousekeepingResult): Record<string, unknown> {
  const { pushgateway, retention } = result;
  const { skipped, ...sweep } = sweepDetails(pushgateway);
  return {
    ...sweep,
    ...(skipped === undefined ? {} : { sweep_skipped: skipped }),
    ...(pushgateway.error === undefined ? {} : { sweep_error: pushgateway.error }),
    retention: {
      signals_deleted: retention.signalsDeleted,
      job_runs_deleted: retention.jobRunsDeleted,
      web_sessions_deleted: retention.webSessionsDeleted,
      batches: retention.batches,
      stopped_early: retention.stoppedEarly,
      ...(retention.stopReason === undefined ? {} : { stop_reason: retention.stopReason }),
      ...(retention.error === undefined ? {} : { error: retention.error }),
    },
  };
}

export const handler = scheduledJob({ name: 'janitor', work: (run) => housekeep(run), outcome: janitorOutcome, details: janitorDetails });
