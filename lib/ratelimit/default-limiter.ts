// This container's limiter, built once from config: Redis (Upstash REST) when configured, with the
// memory store as its fallback; memory alone otherwise (local runs).
import { getConfig } from '../config.js';
import { createUpstashRest } from '../redis/upstash-rest.js';
import { RateLimiter } from './limiter.js';
import { RedisStore } from './redis-store.js';

let limiter: RateLimiter | undefined;

export function defaultLimiter(): RateLimiter {
  if (limiter === undefined) {
    const config = getConfig();
    const url = config.UPSTASH_REDIS_REST_URL;
    const token = config.UPSTASH_REDIS_REST_TOKEN;
    limiter = new RateLimiter({
      store: url !== undefined && token !== undefined ? new RedisStore({ runner: createUpstashRest({ url, token }) }) : undefined,
      limits: { anonymous: config.RATE_LIMIT_ANONYMOUS, api_key: config.RATE_LIMIT_API_KEY, premium: config.RATE_LIMIT_PREMIUM },
      timeoutMs: config.RATE_LIMIT_REDIS_TIMEOUT_MS,
    });
  }
  return limiter;
}

/** Forgets the limiter (tests that change config). */
export function resetDefaultLimiter(): void {
  limiter = undefined;
}
