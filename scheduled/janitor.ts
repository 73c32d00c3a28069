// Every 15 minutes, housekeeping (lib/housekeeping/janitor-work.ts): deletes this service's
// Pushgateway groups that no container has pushed to within PUSHGATEWAY_GROUP_TTL_MS, so the
// Pushgateway stays bounded as Lambda containers come and go, and, in bounded batches, archived
// signals and job_runs rows past their retention (SIGNAL_RETENTION_DAYS, JOB_RUN_RETENTION_DAYS).
import type { Context } from 'aws-lambda';
import { janitorDetails, janitorOutcome, runJanitor, type JanitorResult } from '../lib/housekeeping/janitor-work.js';
import { runJob, settleJob, type JobRunResult } from '../lib/job.js';

/** `event`: the EventBridge schedule's, or POST /v1/admin/jobs/janitor's `{source, runId}`. */
export async function handler(event: unknown, context: Context): Promise<JobRunResult<JanitorResult>> {
  return settleJob(await runJob('janitor', context, (job) => runJanitor(job), { event, outcome: janitorOutcome, details: janitorDetails }));
}
