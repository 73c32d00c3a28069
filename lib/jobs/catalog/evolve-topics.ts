// evolve-topics, daily at 03:00 UTC: puts the last TOPIC_WINDOW_DAYS days' new signals in topics,
// forms emergent topics, and records how topics evolved (emerge, growth, decline, merge, split) on
// today's date. Idempotent per day, so a retry or a manual run (POST /v1/admin/jobs/evolve-topics)
// adds nothing. The work is lib/harvest/topics/evolve.ts; every run that returns succeeded.
import { evolveToday } from '../../harvest/topics/evolve.js';
import { scheduledJob } from '../scheduled-job.js';

export const handler = scheduledJob({ name: 'evolve-topics', work: evolveToday });
