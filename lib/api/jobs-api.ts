// Handlers of the jobs API. Starting a job writes its queued job_runs row first, then asks Lambda
// to invoke the job's function asynchronously with that row's id, so the run is visible (and
// accounted for) from the moment it is asked for; a failed invoke finishes the row as failed.
import { getDb } from '../db/client.js';
import { createJobRun, finishJobRun, listJobRuns, type JobRun } from '../db/job-runs-repo.js';
import { NotFoundError } from '../errors.js';
import { route, type App } from '../http/index.js';
import { errorText } from '../log/error-text.js';
import { invokeJobAsync } from '../jobs/invoke.js';
import { isJobName } from '../jobs/names.js';
import { listJobRunsRoute, startJobRoute } from './jobs-routes.js';

function toJobRunJson(run: JobRun) {
  return {
    id: run.id,
    job: run.job,
    status: run.status,
    started_at: run.startedAt.toISOString(),
    finished_at: run.finishedAt?.toISOString() ?? null,
    duration_ms: run.durationMs,
    details: run.details,
    error: run.error,
  };
}

/**
 * Starts a job now on behalf of an admin (this API and the dashboard's jobs page): its queued row,
 * then the asynchronous invoke; a failed invoke finishes the row as failed and throws. 404 for a
 * name that is no job.
 */
export async function startJob(job: string, requestedBy: string | undefined): Promise<JobRun> {
  if (!isJobName(job)) throw new NotFoundError(`no job named ${job}`);
  const db = await getDb();
  const run = await createJobRun(db, { job, status: 'queued', details: { trigger: 'admin', requested_by: requestedBy ?? null } });
  try {
    await invokeJobAsync(job, { source: 'admin', runId: run.id });
  } catch (error) {
    await finishJobRun(db, run.id, { status: 'failed', durationMs: 0, error: errorText(error) });
    throw error;
  }
  return run;
}

export function mountJobsApi(app: App): void {
  route(app, startJobRoute, async (c, { params }) => {
    const run = await startJob(params.name, c.get('caller').keyId);
    c.get('log').info('job queued', { job: run.job, run_id: run.id });
    return c.json({ run_id: run.id, job: run.job, status: 'queued' as const }, 202);
  });

  route(app, listJobRunsRoute, async (c, { query }) => {
    // One row more than asked for tells whether another page exists.
    const runs = await listJobRuns(await getDb(), { job: query.job, limit: query.limit + 1, before: query.before });
    const page = runs.slice(0, query.limit);
    const next = runs.length > query.limit ? page.at(-1)?.id : undefined;
    return c.json({ items: page.map(toJobRunJson), next_before: next ?? null });
  });
}
