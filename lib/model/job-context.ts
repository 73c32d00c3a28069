// What a job's work is handed: created once per run by lib/jobs/run-job.ts and passed down as is —
// to the domain's work (harvest, housekeeping, topics), and from there to a source adapter's
// fetch, a retention loop, a Pushgateway sweep. Nothing re-wraps it on the way, so every layer
// reads the same signal and the same budget.
//
// Why here and not in lib/jobs: lib/jobs (the runner and the catalog of jobs) imports the domain
// rooms to run their work, so the domain may import nothing of lib/jobs (eslint.config.js enforces
// it) — a context declared there would make the two folders import each other. lib/model is what
// every room may import; this file declares a type only, so importing it bundles nothing.
import type { Log } from '../log/index.js';

export interface JobContext {
  /** The job running: its serverless.yml function name (lib/jobs/names.ts JOB_NAMES). */
  readonly job: string;
  /** This run's job_runs id; null when its row could not be written (the run goes on regardless). */
  readonly runId: string | null;
  /** Aborted shortly before the Lambda's deadline (reason: JobTimeoutError): pass it to every call. */
  readonly signal: AbortSignal;
  /** True once the work should start nothing new and return what it has (lib/jobs/budget.ts). */
  shouldStop(): boolean;
  /** ms until `signal` aborts: the budget of what the work still starts. */
  remainingMs(): number;
  /** The job's logger: function_name, job and run_id on every line. */
  readonly log: Log;
}
