// Every 15 minutes: deletes this service's Pushgateway groups that no container has pushed to within
// PUSHGATEWAY_GROUP_TTL_MS, so the Pushgateway stays bounded as Lambda containers come and go.
import type { Context } from 'aws-lambda';
import { runJob, settleJob, type JobRunResult } from '../lib/job.js';
import { janitorDetails, janitorOutcome, runJanitor, type JanitorResult } from '../lib/metrics/janitor.js';

/** `event`: the EventBridge schedule's, or POST /v1/admin/jobs/janitor's `{source, runId}`. */
export async function handler(event: unknown, context: Context): Promise<JobRunResult<JanitorResult>> {
  return settleJob(await runJob('janitor', context, runJanitor, { event, outcome: janitorOutcome, details: janitorDetails }));
}
