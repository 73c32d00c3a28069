// Cache metrics (names as in the seeds). `cache` names one of CACHES, so the label stays bounded.
import { Counter } from './prom.js';
import { registry } from './registry.js';

export const CACHES = ['api_key'] as const;
export type CacheName = (typeof CACHES)[number];

export const cacheHits = new Counter({
  name: 'cache_hits_total',
  help: 'Look-ups answered from a per-container cache, by cache.',
  labelNames: ['cache'] as const,
  registers: [registry],
});

export const cacheMisses = new Counter({
  name: 'cache_misses_total',
  help: 'Look-ups that had to go to the backing store, by cache.',
  labelNames: ['cache'] as const,
  registers: [registry],
});
