// The one shape of a job's Lambda handler: `scheduledJob({ name, work, outcome?, details? })` runs
// `work` in runJob (lock, budget, job_runs row, metrics, push) for every invocation — the
// EventBridge schedule's, POST /v1/admin/jobs/{name}'s or a plain invoke — and settles the result
// (a failed run throws, so Lambda counts it). Each job's definition is a file of ./catalog/, and
// each scheduled/<name>.ts is the one line re-exporting its handler.
import type { Context } from 'aws-lambda';
import type { JobContext } from '../model/job-context.js';
import type { JobName } from './names.js';
import { runJob, settleJob, type JobRunResult, type RunJobOptions } from './run-job.js';

/** A job: its name, its work (the domain's, handed the run's JobContext as is) and how its result counts. */
export interface JobDefinition<T> extends Pick<RunJobOptions<T>, 'outcome' | 'details' | 'reserveMs' | 'stopFraction'> {
  name: JobName;
  work: (run: JobContext) => Promise<T>;
}

/** What Lambda calls: `event` is the schedule's, or POST /v1/admin/jobs/{name}'s `{source, runId}`. */
export type ScheduledHandler<T> = (event: unknown, context: Context) => Promise<JobRunResult<T>>;

/** The Lambda handler of `job`. */
export function scheduledJob<T>(job: JobDefinition<T>): ScheduledHandler<T> {
  const { name, work, ...options } = job;
  return async (event, context) => settleJob(await runJob(name, context, work, { ...options, event }));
}
