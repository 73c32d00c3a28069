// Daily at 03:00 UTC: puts the last TOPIC_WINDOW_DAYS days' new signals in topics, forms emergent
// topics, and records how topics evolved (emerge, growth, decline, merge, split) on today's date.
// Idempotent per day, so a retry or a manual run (POST /v1/admin/jobs/evolve-topics) adds nothing.
import type { Context } from 'aws-lambda';
import { getConfig } from '../lib/config.js';
import { getDb } from '../lib/db/client.js';
import { evolveTopics, type EvolveResult } from '../lib/harvest/topics/evolve.js';
import { runJob, settleJob, type JobRunResult } from '../lib/job.js';

/** `event`: the EventBridge schedule's, or POST /v1/admin/jobs/evolve-topics's `{source, runId}`. */
export async function handler(event: unknown, context: Context): Promise<JobRunResult<EvolveResult>> {
  const run = await runJob(
    'evolve-topics',
    context,
    async (job) =>
      evolveTopics(await getDb(), { now: new Date(), windowDays: getConfig().TOPIC_WINDOW_DAYS, shouldStop: () => job.shouldStop(), log: job.log }),
    { event },
  );
  return settleJob(run);
}
