// Rate-limit metrics (names as in the seeds). Labels are bounded: four tiers, four results.
import { Counter, Gauge } from './prom.js';
import { registry } from './registry.js';

export const rateLimitRequests = new Counter({
  name: 'rate_limit_requests_total',
  help: 'Rate-limit decisions by tier and result (allowed, denied).',
  labelNames: ['tier', 'result'] as const,
  registers: [registry],
});

export const rateLimitDenials = new Counter({
  name: 'rate_limit_denials_total',
  help: 'Requests refused with 429, by tier.',
  labelNames: ['tier'] as const,
  registers: [registry],
});

export const rateLimitFallbacks = new Counter({
  name: 'rate_limit_fallback_total',
  help: 'Decisions taken from the in-memory store because Redis failed or exceeded its time budget.',
  registers: [registry],
});

/** The memory store read at collect time: the latest limiter's (a container has one). */
let bucketStore: { readonly size: number } | undefined;

export const rateLimitBucketsActive = new Gauge({
  name: 'rate_limit_buckets_active',
  help: "Token buckets held in this container's memory store (local runs and the Redis fallback; Redis-held buckets are not counted).",
  registers: [registry],
  collect() {
    this.set(bucketStore?.size ?? 0);
  },
});

/** Makes `store` the one rate_limit_buckets_active reads. */
export function watchBuckets(store: { readonly size: number }): void {
  bucketStore = store;
}
