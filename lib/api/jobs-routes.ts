// The scheduled jobs, admin tier only: start one now (asynchronously: 202 and a run id to follow)
// and list recent runs from job_runs. A job runs in its own Lambda invocation, as on its schedule.
import * as z from 'zod/mini';
import { JOB_RUN_STATUSES } from '../db/job-runs-repo.js';
import type { RouteSpec } from '../http/index.js';
import { JOB_NAMES } from '../jobs/names.js';
import { pageLimit } from './common-schemas.js';

/** A job name's form; whether the job exists is the handler's 404, not a validation error. */
const jobName = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/));
/** Run ids are positive bigints, sent as strings. */
const runId = z.string().check(z.regex(/^[1-9][0-9]{0,17}$/));

export const jobRunSchema = z.strictObject({
  id: z.string(),
  job: z.string(),
  status: z.enum(JOB_RUN_STATUSES),
  /** For a queued run: when it was asked for. */
  started_at: z.string(),
  finished_at: z.nullable(z.string()),
  duration_ms: z.nullable(z.number()),
  /** How it was started (`trigger`: schedule, admin, invoke), then what the job reported. */
  details: z.record(z.string(), z.unknown()),
  /** Why it failed: a message, never a stack. */
  error: z.nullable(z.string()),
});

export const startJobRoute = {
  method: 'post',
  path: '/v1/admin/jobs/{name}',
  operationId: 'startJob',
  summary: 'Run a scheduled job now, asynchronously',
  description: `Queues a run of the job (one of ${JOB_NAMES.map((name) => `\`${name}\``).join(', ')}) and invokes its function asynchronously; follow the run in \`GET /v1/admin/jobs\`. A run that finds another run of the same job in progress ends \`skipped\` (reason \`locked\`).`,
  tags: ['admin'],
  tier: 'admin',
  params: z.strictObject({ name: jobName }),
  responses: {
    202: {
      description: 'The run is queued',
      schema: z.strictObject({ run_id: z.string(), job: z.string(), status: z.literal('queued') }),
    },
    404: { description: 'No such job' },
    502: { description: 'The job could not be started (its run is recorded as failed)' },
  },
} satisfies RouteSpec;

export const listJobRunsRoute = {
  method: 'get',
  path: '/v1/admin/jobs',
  operationId: 'listJobRuns',
  summary: 'Recent job runs, newest first',
  tags: ['admin'],
  tier: 'admin',
  query: z.strictObject({
    job: z.optional(jobName),
    limit: pageLimit,
    /** The previous page's `next_before`. */
    before: z.optional(runId),
  }),
  responses: {
    200: {
      description: 'A page of runs, and the `before` of the next page (null on the last)',
      schema: z.strictObject({ items: z.array(jobRunSchema), next_before: z.nullable(z.string()) }),
    },
  },
} satisfies RouteSpec;

export const jobsRoutes = [startJobRoute, listJobRunsRoute] as const;
