// Runs of the scheduled jobs in job_runs: one row per run, written when it starts (or when an admin
// asks for it: `queued`) and finished once (succeeded, failed or skipped, with its duration, its
// structured details and, on failure, a short message). A finished row is never changed again, so
// a duplicate delivery of the same run cannot overwrite its outcome. Ids arrive from URLs and
// events: a malformed one is "not found" without a query.
import { isSignalId } from './ids.js';
import { empty, sql, type Sql } from './sql.js';
import type { Queryable } from './types.js';

export const JOB_RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'skipped'] as const;
export type JobRunStatus = (typeof JOB_RUN_STATUSES)[number];
/** The statuses a run ends in. */
export type FinishedStatus = Extract<JobRunStatus, 'succeeded' | 'failed' | 'skipped'>;

/** Longest error text stored; the caller passes a message, never a stack (lib/log/error-text.ts, bounded alike). */
export const MAX_ERROR_LENGTH = 500;
/** Largest page `listJobRuns` returns; the API allows less. */
export const MAX_RUNS_PAGE = 1000;
/** Run ids are bigints like signal ids: the same check keeps a malformed one away from SQL. */
const isRunId = isSignalId;
/** duration_ms is an integer column. */
const MAX_DURATION_MS = 2_147_483_647;

export interface JobRun {
  /** bigint id, as a decimal string. */
  id: string;
  /** The job's serverless.yml function name. */
  job: string;
  status: JobRunStatus;
  /** When it started; for a `queued` run, when it was asked for (reset when the job takes it over). */
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  /** Structured facts about the run: its trigger, then the work's own summary (a JSON object). */
  details: Record<string, unknown>;
  /** Why it failed: a bounded message, never a stack. */
  error: string | null;
}

export interface NewJobRun {
  job: string;
  status: Extract<JobRunStatus, 'queued' | 'running'>;
  /** Initial details, e.g. `{ trigger: 'admin', requested_by: … }`. Default `{}`. */
  details?: Record<string, unknown>;
}

export interface RunOutcome {
  status: FinishedStatus;
  /** Measured by the caller (in-process clock); rounded and bounded to the column here. */
  durationMs: number;
  /** Merged over the row's details (top-level keys replace earlier ones). Default: nothing added. */
  details?: Record<string, unknown>;
  /** A message only; longer ones are cut to MAX_ERROR_LENGTH. Default: none. */
  error?: string;
}

export interface ListJobRunsOptions {
  /** Only this job's runs. Default: every job. */
  job?: string;
  /** 1 to MAX_RUNS_PAGE. */
  limit: number;
  /** Only runs older than this id (the previous page's last id): keyset paging. Default: newest. */
  before?: string;
}

const RUN_COLUMNS = sql`
  id::text AS id, job, status, started_at AS "startedAt", finished_at AS "finishedAt",
  duration_ms AS "durationMs", details, error`;

/** jsonb as JSON text: both drivers pass a string through unchanged (see signals-upsert.ts). */
function jsonb(value: Record<string, unknown> | undefined): string {
  return JSON.stringify(value ?? {});
}

function boundedError(error: string | undefined): string | null {
  if (error === undefined) return null;
  return error.length > MAX_ERROR_LENGTH ? `${error.slice(0, MAX_ERROR_LENGTH - 1)}…` : error;
}

function boundedDuration(durationMs: number): number {
  return Math.min(MAX_DURATION_MS, Math.max(0, Math.round(Number.isFinite(durationMs) ? durationMs : 0)));
}

async function one(db: Queryable, statement: Sql): Promise<JobRun> {
  const [row] = await db.query<JobRun>(statement);
  if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
  return row;
}

/** Writes a run that is waiting (`queued`) or has started (`running`). */
export function createJobRun(db: Queryable, run: NewJobRun): Promise<JobRun> {
  return one(
    db,
    sql`INSERT INTO job_runs (job, status, details) VALUES (${run.job}, ${run.status}, ${jsonb(run.details)}::jsonb)
        RETURNING ${RUN_COLUMNS}`,
  );
}

/** Writes a run that ended as it began, in one statement (a run skipped because its lock was held). */
export function createFinishedJobRun(db: Queryable, job: string, outcome: RunOutcome): Promise<JobRun> {
  return one(
    db,
    sql`INSERT INTO job_runs (job, status, finished_at, duration_ms, details, error)
        VALUES (${job}, ${outcome.status}, now(), ${boundedDuration(outcome.durationMs)}, ${jsonb(outcome.details)}::jsonb, ${boundedError(outcome.error)})
        RETURNING ${RUN_COLUMNS}`,
  );
}

/**
 * Takes over a queued run of `job`: `running`, started now, `details` merged in. Undefined when
 * there is no such queued run (unknown id, another job's, or already taken by an earlier delivery).
 */
export async function claimQueuedJobRun(db: Queryable, id: string, job: string, details?: Record<string, unknown>): Promise<JobRun | undefined> {
  if (!isRunId(id)) return undefined;
  const rows = await db.query<JobRun>(sql`
    UPDATE job_runs SET status = 'running', started_at = now(), details = details || ${jsonb(details)}::jsonb
    WHERE id = ${id}::bigint AND job = ${job} AND status = 'queued'
    RETURNING ${RUN_COLUMNS}`);
  return rows[0];
}

/**
 * Finishes a queued or running run. Undefined when there is no such run or it has finished
 * already: an outcome, once written, is never replaced.
 */
export async function finishJobRun(db: Queryable, id: string, outcome: RunOutcome): Promise<JobRun | undefined> {
  if (!isRunId(id)) return undefined;
  const rows = await db.query<JobRun>(sql`
    UPDATE job_runs
    SET status = ${outcome.status}, finished_at = now(), duration_ms = ${boundedDuration(outcome.durationMs)},
        details = details || ${jsonb(outcome.details)}::jsonb, error = ${boundedError(outcome.error)}
    WHERE id = ${id}::bigint AND status IN ('queued', 'running')
    RETURNING ${RUN_COLUMNS}`);
  return rows[0];
}

/** A queued run is abandoned once Lambda would have dropped its asynchronous event (6 hours at most). */
export const QUEUED_ABANDONED_AFTER_S = 6 * 3600;
/** A running run is abandoned once no Lambda can still be running it: the 15-minute maximum timeout, plus a margin. */
export const RUNNING_ABANDONED_AFTER_S = 20 * 60;

/**
 * Fails the runs that can no longer finish on their own: `queued` ones whose invocation was never
 * delivered (or whose function died before it started the run) and `running` ones whose Lambda was
 * stopped (timeout, out of memory) before runJob could record an outcome. Without this they would
 * show as queued or running until retention deletes them. Rows started `retentionDays` ago or
 * earlier are left to retention, which deletes them in the same run. Resolves with how many it failed.
 */
export async function failAbandonedRuns(db: Queryable, retentionDays: number): Promise<number> {
  const rows = await db.query<{ id: string }>(sql`
    UPDATE job_runs
    SET status = 'failed', finished_at = now(),
        error = CASE status
          WHEN 'queued' THEN 'abandoned: never started (its invocation was not delivered or died first)'
          ELSE 'abandoned: never finished (its Lambda was stopped: a timeout or out of memory)'
        END
    WHERE started_at >= now() - make_interval(days => ${retentionDays}::int)
      AND ((status = 'queued' AND started_at < now() - make_interval(secs => ${QUEUED_ABANDONED_AFTER_S}::int))
        OR (status = 'running' AND started_at < now() - make_interval(secs => ${RUNNING_ABANDONED_AFTER_S}::int)))
    RETURNING id::text AS id`);
  return rows.length;
}

export async function getJobRun(db: Queryable, id: string): Promise<JobRun | undefined> {
  if (!isRunId(id)) return undefined;
  const rows = await db.query<JobRun>(sql`SELECT ${RUN_COLUMNS} FROM job_runs WHERE id = ${id}::bigint`);
  return rows[0];
}

/**
 * Runs newest first (by id: the order they were asked for or started in), optionally of one job,
 * one keyset page at a time: pass the last id of a page as `before` for the next one.
 */
export function listJobRuns(db: Queryable, options: ListJobRunsOptions): Promise<JobRun[]> {
  const { limit } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RUNS_PAGE) {
    throw new RangeError(`page limit must be an integer from 1 to ${String(MAX_RUNS_PAGE)}, got ${String(limit)}`);
  }
  if (options.before !== undefined && !isRunId(options.before)) throw new RangeError(`before must be a run id, got ${options.before}`);
  const job = options.job === undefined ? empty : sql`AND job = ${options.job}`;
  const before = options.before === undefined ? empty : sql`AND id < ${options.before}::bigint`;
  // `job_runs.id`, not `id`: in ORDER BY that would be the text column of RUN_COLUMNS ('9' > '10').
  return db.query<JobRun>(sql`SELECT ${RUN_COLUMNS} FROM job_runs WHERE true ${job} ${before} ORDER BY job_runs.id DESC LIMIT ${limit}`);
}
