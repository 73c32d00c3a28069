// Middleware chain overhead on a warm request, measured in a child process (see middleware-child.ts).
import { runChild } from './child.js';
import type { MiddlewareResult } from './middleware-child.js';

export type { MiddlewareResult };

export function measureMiddleware(): Promise<MiddlewareResult> {
  return runChild<MiddlewareResult>('./middleware-child.ts', { timeoutMs: 60_000 });
}
