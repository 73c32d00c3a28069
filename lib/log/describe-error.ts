// Error fields safe to log: name, message, code and status, and the same for each cause. Never a
// stack: stack traces reach neither clients nor log lines.
export type DescribedError = Record<string, unknown>;

/** Error fields safe to log: name, message, code and status, and the same for each cause. No stack. */
export function describeError(error: Error, depth = 0): DescribedError {
  const described: DescribedError = { name: error.name, message: error.message };
  const { code, status } = error as Error & { code?: unknown; status?: unknown };
  if (typeof code === 'string' || typeof code === 'number') described.code = code;
  if (typeof status === 'number') described.status = status;
  if (error.cause !== undefined && depth < 3) {
    described.cause = error.cause instanceof Error ? describeError(error.cause, depth + 1) : describeThrown(error.cause);
  }
  return described;
}

/**
 * Anything thrown or rejected, described: an Error as above; a string as its message; another
 * object (a socket's `ErrorEvent`, which the Neon driver rejects with) by its type and `message`,
 * or the message of the Error it carries — never "[object Object]", never its other fields.
 */
export function describeThrown(thrown: unknown): DescribedError {
  if (thrown instanceof Error) return describeError(thrown);
  if (typeof thrown === 'string') return { message: thrown };
  if (typeof thrown !== 'object' || thrown === null) return { message: String(thrown) };
  const { message, error } = thrown as { message?: unknown; error?: unknown };
  const described: DescribedError = { name: thrown.constructor.name };
  if (typeof message === 'string' && message !== '') described.message = message;
  else if (error instanceof Error) described.message = error.message;
  else described.message = 'no message';
  if (error instanceof Error) described.cause = describeError(error, 1);
  return described;
}

