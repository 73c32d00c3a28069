// The text stored in job_runs.error and returned in a job's result: the error's name and message
// (and its cause's, one level: a wrapper's message alone rarely says what happened), never a stack
// (some libraries fold stack frames into the message: those lines are dropped), with credentials
// and registered secret values masked as in log lines, on one bounded line.
import { MAX_ERROR_LENGTH } from '../db/job-runs-repo.js';
import { redactString } from '../log/redact.js';

/** A line of a V8 stack trace, `    at fn (file:1:2)`. */
const STACK_FRAME = /^\s*at\s.+$/;

function describe(error: unknown): string {
  if (!(error instanceof Error)) return typeof error === 'string' ? error : 'non-error thrown';
  const message = error.message.split('\n').filter((line) => !STACK_FRAME.test(line)).join(' ');
  return error.name !== '' && error.name !== 'Error' ? `${error.name}: ${message}` : message;
}

/** `Name: message (cause: Name: message)` of anything thrown, safe to store and show to an admin. */
export function errorText(error: unknown): string {
  let text = describe(error);
  if (error instanceof Error && error.cause !== undefined) text += ` (cause: ${describe(error.cause)})`;
  const line = redactString(text).replace(/\s+/g, ' ').trim() || 'unknown error';
  return line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH - 1)}…` : line;
}
