// discover, every hour (the ancestor's `discovery.schedule_interval: 3600`): harvests new items from
// the public sources, classifies, scores and stores them, and tells Slack about the important ones.
// The work is lib/harvest/discover.ts; here, how its report counts.
import { discover } from '../../harvest/discover.js';
import type { HarvestReport } from '../../harvest/pipeline.js';
import type { JobOutcome } from '../run-job.js';
import { scheduledJob } from '../scheduled-job.js';

/** A run where every source failed stored nothing and says so: failed, not succeeded. */
export function discoverOutcome(report: HarvestReport): JobOutcome {
  const reports = Object.values(report.sources);
  if (reports.length === 0) return { status: 'skipped', reason: 'no_sources' };
  if (reports.every((source) => source.status === 'failed')) return { status: 'failed', reason: 'every source failed' };
  return { status: 'succeeded' };
}

export const handler = scheduledJob({ name: 'discover', work: (run) => discover(run), outcome: discoverOutcome });
