// Rate limiting against the libraries we could have used instead, and the middleware's cost on a
// warm request; each measured in its own child process (see the rate-limit-*-child.ts files).
import { runChild } from './child.js';
import type { MemoryDecisionsResult } from './rate-limit-memory-child.js';
import type { RateLimitMiddlewareResult } from './rate-limit-middleware-child.js';
import type { RedisDecisionsResult } from './rate-limit-redis-child.js';

export type { MemoryDecisionsResult, RateLimitMiddlewareResult, RedisDecisionsResult };

/** Needs Redis on 127.0.0.1:6379 (or TEST_REDIS_URL); ~2 s. */
export function measureRedisDecisions(): Promise<RedisDecisionsResult> {
  return runChild<RedisDecisionsResult>('./rate-limit-redis-child.ts', { timeoutMs: 60_000 });
}

export function measureMemoryDecisions(): Promise<MemoryDecisionsResult> {
  return runChild<MemoryDecisionsResult>('./rate-limit-memory-child.ts', { timeoutMs: 60_000 });
}

export function measureRateLimitMiddleware(): Promise<RateLimitMiddlewareResult> {
  return runChild<RateLimitMiddlewareResult>('./rate-limit-middleware-child.ts', { timeoutMs: 60_000 });
}
