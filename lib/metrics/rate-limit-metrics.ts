// Rate-limit metrics (names as in the seeds). Labels are bounded: four tiers, four results.
import { Counter } from './prom.js';
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
