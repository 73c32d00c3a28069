// The job wrapper's own fail-open metrics, beside the run metrics of lib/metrics/job-metrics.ts.
// Both choices keep a job running when its bookkeeping cannot be done, so both are counted:
// `job` is a JOB_NAMES entry and `step` one of two values, so the series stay bounded.
import { Counter } from '../metrics/prom.js';
import { registry } from '../metrics/registry.js';

export const jobLockFallbacks = new Counter({
  name: 'job_lock_fallbacks_total',
  help: 'Job runs locked in memory (this container only) because the Redis lock failed or exceeded its budget, by job.',
  labelNames: ['job'] as const,
  registers: [registry],
});

export const jobRunRecordFailures = new Counter({
  name: 'job_run_record_failures_total',
  help: 'Job runs whose job_runs row could not be written, by job and step (start, finish); the run itself goes on.',
  labelNames: ['job', 'step'] as const,
  registers: [registry],
});
