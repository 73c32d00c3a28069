// The ways a job run fails, one class each. Their messages are what job_runs.error, the log line
// and the Lambda's own error report carry, so none of them holds a stack or a secret.
import { AppError, type AppErrorOptions } from '../errors.js';

/**
 * The job's time budget ran out: the abort reason of the `signal` handed to its work, and the
 * failure recorded when the work did not return in time.
 */
export class JobTimeoutError extends Error {
  constructor(message = 'job time budget exhausted', options?: ErrorOptions) {
    super(message, options);
    this.name = 'JobTimeoutError';
  }
}

/**
 * What a job's handler throws after a failed run has been recorded (job_runs, metrics), so Lambda
 * counts the invocation as failed and its asynchronous retries (and a DLQ, once configured) apply.
 * The stack is reduced to the message: the Lambda runtime logs a thrown error's stack, and this
 * one's would show only our own frames, which say nothing the run's log line does not.
 */
export class JobFailedError extends Error {
  /** The job_runs id of the failed run; null when its row could not be written. */
  readonly runId: string | null;

  constructor(job: string, runId: string | null, reason: string) {
    super(`job ${job} failed${runId === null ? '' : ` (run ${runId})`}: ${reason}`);
    this.name = 'JobFailedError';
    this.runId = runId;
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** The job's Lambda could not be invoked (`POST /v1/admin/jobs/{name}`): 502, message not exposed. */
export class JobStartError extends AppError {
  constructor(message: string, options?: AppErrorOptions) {
    super(502, 'job_start_failed', message, options);
    this.name = 'JobStartError';
  }
}
