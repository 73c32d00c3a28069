// Every hour (the ancestor's `discovery.schedule_interval: 3600`): harvests new items from the
// public sources, classifies, scores and stores them, and tells Slack about the important ones.
import type { Context } from 'aws-lambda';
import { discover, discoverOutcome } from '../lib/harvest/discover.js';
import type { HarvestReport } from '../lib/harvest/pipeline.js';
import { runJob, settleJob, type JobRunResult } from '../lib/job.js';

/** `event`: the EventBridge schedule's, or POST /v1/admin/jobs/discover's `{source, runId}`. */
export async function handler(event: unknown, context: Context): Promise<JobRunResult<HarvestReport>> {
  return settleJob(await runJob('discover', context, (job) => discover(job), { event, outcome: discoverOutcome }));
}
