// Scheduled-job metrics (ARCHITECTURE §5): runs by outcome, duration, and the last success, which
// the "job has not succeeded within twice its schedule" alert reads. `job` is the serverless.yml
// function name, so the label is bounded by the jobs we deploy. In the Pushgateway a metric's `job`
// label gives way to the grouping key's (`signal-harvester`): there the job is the `function` label,
// which is why queries and alerts group by function; `job` reads well only on `GET /metrics`.
import { Counter, Gauge, Histogram } from './prom.js';
import { registry } from './registry.js';

/** As in the job_runs table: a run that found nothing to do (e.g. not configured) is `skipped`. */
export type JobStatus = 'succeeded' | 'failed' | 'skipped';

export const jobRuns = new Counter({
  name: 'job_runs_total',
  help: 'Scheduled job runs, by job and status (succeeded, failed, skipped).',
  labelNames: ['job', 'status'] as const,
  registers: [registry],
});

export const jobDuration = new Histogram({
  name: 'job_duration_seconds',
  help: 'Scheduled job run duration, by job.',
  labelNames: ['job'] as const,
  buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
  registers: [registry],
});

export const jobLastSuccess = new Gauge({
  name: 'job_last_success_timestamp_seconds',
  help: 'Unix time of the last successful run, by job.',
  labelNames: ['job'] as const,
  registers: [registry],
});

/** The seed's background tasks `active`: runs of a job executing in this container now. */
export const jobRunsInProgress = new Gauge({
  name: 'job_runs_in_progress',
  help: 'Scheduled job runs executing in this container now, by job.',
  labelNames: ['job'] as const,
  registers: [registry],
});

/** Records one finished run of `job`. */
export function recordJobRun(job: string, status: JobStatus, durationSeconds: number, nowMs: number = Date.now()): void {
  jobRuns.inc({ job, status });
  jobDuration.observe({ job }, durationSeconds);
  if (status === 'succeeded') jobLastSuccess.set({ job }, nowMs / 1000);
}
