// Cache metrics (names as in the seeds). `cache` names one of CACHES, so the label stays bounded.
import { Counter } from './prom.js';
import { registry } from './registry.js';

/** `api_key`: the per-container API-key cache; `topic_vector`: signal text vectors (lib/harvest/topics/vector-cache.ts). */
export const CACHES = ['api_key', 'topic_vector'] as const;
export type CacheName = (typeof CACHES)[number];

export const cacheHits = new Counter({
  name: 'cache_hits_total',
  help: 'Look-ups answered from a cache (per container, or Redis for topic_vector), by cache.',
  labelNames: ['cache'] as const,
  registers: [registry],
});

export const cacheMisses = new Counter({
  name: 'cache_misses_total',
  help: 'Look-ups that had to go to the backing store, by cache.',
  labelNames: ['cache'] as const,
  registers: [registry],
});
