// This container's limiter, built once from config: Redis (@upstash/redis) when configured, with the
// memory store as its fallback; memory alone otherwise (local runs). Building it fires a warm-up PING
// (not awaited); lib/api/api-function.ts builds it during a Lambda container's init.
import { getConfig } from '../config.js';
import { defaultRedis, resetDefaultRedis } from '../redis/client.js';
import { RateLimiter } from './limiter.js';
import { RedisStore } from './redis-store.js';

let limiter: RateLimiter | undefined;

export function defaultLimiter(): RateLimiter {
  if (limiter === undefined) {
    const config = getConfig();
    const redis = defaultRedis();
    limiter = new RateLimiter({
      store: redis === undefined ? undefined : new RedisStore({ runner: redis }),
      limits: { anonymous: config.RATE_LIMIT_ANONYMOUS, api_key: config.RATE_LIMIT_API_KEY, premium: config.RATE_LIMIT_PREMIUM },
      timeoutMs: config.RATE_LIMIT_REDIS_TIMEOUT_MS,
      coldStartTimeoutMs: config.RATE_LIMIT_COLD_START_TIMEOUT_MS,
      // Opens the connection now (DNS, TLS, the client's import), not inside the first decision's budget.
      warmUp: redis === undefined ? undefined : () => redis.ping(),
      fallbackShare: config.RATE_LIMIT_FALLBACK_SHARE,
    });
  }
  return limiter;
}

/** Forgets the limiter (tests that change config). */
export function resetDefaultLimiter(): void {
  limiter = undefined;
  resetDefaultRedis();
}
