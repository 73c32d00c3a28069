// graph-build, every 5 minutes (and on demand: POST /v1/admin/jobs/graph-build, `npm run invoke --
// graph-build`): builds identifiers, relationships, near-duplicate groups (rescoring the artifacts
// whose group grew) and entities for the signals stored since its last run,
// in bounded batches from a stored cursor, so a run that stops for its budget is continued by the
// next. On a store without a graph its first runs are the backfill of every older signal. The work
// is lib/graph/build.ts; every run that returns succeeded.
import { buildGraphNow } from '../../graph/build.js';
import { scheduledJob } from '../scheduled-job.js';

export const handler = scheduledJob({ name: 'graph-build', work: buildGraphNow });
