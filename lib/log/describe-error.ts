// Error fields safe to log: name, message, code and status, and the same for each cause. Never a
// stack: stack traces reach neither clients nor log lines.
export type DescribedError = Record<string, unknown>;

/** Error fields safe to log: name, message, code and status, and the same for each cause. No stack. */
export function describeError(error: Error, depth = 0): DescribedError {
  const described: DescribedError = { name: error.name, message: error.message };
  const { code, status } = error as Error & { code?: unknown; status?: unknown };
  if (typeof code === 'string' || typeof code === 'number') described.code = code;
  if (typeof status === 'number') described.status = status;
  if (error.cause instanceof Error && depth < 3) described.cause = describeError(error.cause, depth + 1);
  return described;
}

