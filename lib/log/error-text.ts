// The text stored in job_runs.error and returned in a job's result: the error's name and message
// (and its cause's, one level: a wrapper's message alone rarely says what happened), never a stack
// (some libraries fold stack frames into the message: those lines are dropped), with credentials
// and registered secret values masked as in log lines, on one bounded line. A text helper: it
// imports no storage (job_runs.error's own bound, MAX_ERROR_LENGTH in lib/db/job-runs-repo.ts, is
// the same 500 characters, and a test keeps the two equal).
import { redactString } from './redact.js';

/** The longest text `errorText` returns, in UTF-16 units (job_runs.error holds as much). */
export const ERROR_TEXT_MAX_CHARS = 500;

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
  return line.length > ERROR_TEXT_MAX_CHARS ? `${line.slice(0, ERROR_TEXT_MAX_CHARS - 1)}…` : line;
}
