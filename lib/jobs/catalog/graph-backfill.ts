// graph-backfill, weekly (and on demand: POST /v1/admin/jobs/graph-backfill, `npm run invoke --
// graph-backfill`): builds identifiers and relationships for signals stored before extraction ran
// at ingest, in bounded batches from a stored cursor, so a run that stops for its budget is
// continued by the next. The work is lib/graph/backfill.ts; every run that returns succeeded.
import { backfillNow } from '../../graph/backfill.js';
import { scheduledJob } from '../scheduled-job.js';

export const handler = scheduledJob({ name: 'graph-backfill', work: backfillNow });
