// digest, every 15 minutes: the daily and weekly digests of watches that asked for one
// (lib/delivery/digests/run-digests.ts) — build each period's digest once, a grace after it ends,
// then send what is pending, signed on the webhook channel, retried on the webhook schedule.
// Failed sends are not a failed run (they are retried on their own schedule and counted in
// deliveries_total); a run fails only when the job itself cannot work.
import { digest } from '../../delivery/digests/digest.js';
import type { DigestRunResult } from '../../delivery/digests/run-digests.js';
import { scheduledJob } from '../scheduled-job.js';

/** job_runs.details: the run's counts. */
export function digestDetails(result: DigestRunResult): Record<string, unknown> {
  return {
    built: result.built,
    empty: result.empty,
    claimed: result.claimed,
    delivered: result.delivered,
    retrying: result.retrying,
    gave_up: result.gaveUp,
    deferred: result.deferred,
  };
}

export const handler = scheduledJob({ name: 'digest', work: digest, details: digestDetails });
