// errors_total (name as in the seeds). `type` is the error's stable code (a constant of our code,
// so bounded) and `severity` one of SEVERITIES. Client errors (4xx) are not counted here: they are
// the caller's mistake, visible in http_requests_total by status, and would make an error-rate
// alert fire on every scanner.
import { Counter } from './prom.js';
import { registry } from './registry.js';

/** critical: an unexpected failure (a bug, a 500); error: an expected one (a dependency unavailable). */
export type Severity = 'critical' | 'error';

export const errorsTotal = new Counter({
  name: 'errors_total',
  help: 'Server-side errors by code and severity (critical: unexpected failure; error: a dependency unavailable).',
  labelNames: ['type', 'severity'] as const,
  registers: [registry],
});

/**
 * Exceptions no code of ours expected, caught only by the last resort: the HTTP error mapper (a
 * thrown value that is no AppError: a bug, answered 500) or the job wrapper (a job's work threw
 * anything but its time budget running out). `handler` is `http` or `job`.
 */
export const exceptionsUnhandled = new Counter({
  name: 'exceptions_unhandled_total',
  help: 'Exceptions caught only by the last-resort handler (http: answered 500; job: the run failed), by handler.',
  labelNames: ['handler'] as const,
  registers: [registry],
});
