// deliver, every minute: one sweep of the delivery outbox (lib/delivery/sweep.ts) — enqueue new
// matching signals per watch, claim what is due, send it signed with bounded concurrency and
// per-endpoint budgets, record delivered, retried or given up. Failed deliveries are not a failed
// run (they are retried on their own schedule and counted in deliveries_total); a run fails only
// when the sweep itself cannot work (the database, the configuration).
import { deliver } from '../../delivery/deliver.js';
import type { SweepResult } from '../../delivery/sweep.js';
import { scheduledJob } from '../scheduled-job.js';

/** job_runs.details: the sweep's counts. */
export function deliverDetails(result: SweepResult): Record<string, unknown> {
  return {
    enqueued: result.enqueued,
    claimed: result.claimed,
    delivered: result.delivered,
    retrying: result.retrying,
    gave_up: result.gaveUp,
    deferred: result.deferred,
    lanes: result.lanes,
    outbox_depth: result.depth,
    outbox_oldest_age_seconds: Math.round(result.oldestAgeSeconds),
  };
}

export const handler = scheduledJob({ name: 'deliver', work: deliver, details: deliverDetails });
