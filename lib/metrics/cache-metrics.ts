// Cache metrics (names and labels as in the seeds: `cache_type`, `cache_name`). Both labels name
// one of CACHES, so the series stay bounded. Hits and misses move on every look-up; the size gauges
// are read when the registry is collected (no cost on the hot path) from the caches that asked to
// be watched, or set by a cache whose contents only a look-up learns (the Redis-backed one).
import { Counter, Gauge } from './prom.js';
import { registry } from './registry.js';

/**
 * `api_key`: the per-container API-key cache; `topic_vector`: signal text vectors (lib/harvest/topics/vector-cache.ts);
 * `feed_watch` and `feed_render`: a feed's token look-up and its rendered body (lib/delivery/feeds/).
 */
export const CACHES = ['api_key', 'topic_vector', 'feed_watch', 'feed_render'] as const;
export type CacheName = (typeof CACHES)[number];
/** Where a cache keeps its entries: this container's memory, or Redis. */
export type CacheType = 'memory' | 'redis';

export interface CacheLabels {
  cache_type: CacheType;
  cache_name: CacheName;
}

export const cacheHits = new Counter({
  name: 'cache_hits_total',
  help: 'Look-ups answered from a cache, by cache type (memory, redis) and name.',
  labelNames: ['cache_type', 'cache_name'] as const,
  registers: [registry],
});

export const cacheMisses = new Counter({
  name: 'cache_misses_total',
  help: 'Look-ups that had to go to the backing store (or compute), by cache type and name.',
  labelNames: ['cache_type', 'cache_name'] as const,
  registers: [registry],
});

/** What a watched cache holds now. */
export interface CacheSize {
  items: number;
  bytes: number;
}

const watched = new Map<string, { labels: CacheLabels; read: () => CacheSize }>();

function collectSizes(this: { set(labels: CacheLabels, value: number): void }, field: keyof CacheSize): void {
  for (const { labels, read } of watched.values()) this.set(labels, read()[field]);
}

export const cacheItems = new Gauge({
  name: 'cache_items',
  help: 'Entries a cache holds (the seed\'s cache_items_total; a gauge, so no _total), by cache type and name.',
  labelNames: ['cache_type', 'cache_name'] as const,
  registers: [registry],
  collect() {
    collectSizes.call(this, 'items');
  },
});

export const cacheSizeBytes = new Gauge({
  name: 'cache_size_bytes',
  help: 'Approximate bytes a cache holds (keys and values), by cache type and name.',
  labelNames: ['cache_type', 'cache_name'] as const,
  registers: [registry],
  collect() {
    collectSizes.call(this, 'bytes');
  },
});

/** Reads `read()` into cache_items / cache_size_bytes at every collect; the latest watcher per labels wins. */
export function watchCacheSize(labels: CacheLabels, read: () => CacheSize): void {
  watched.set(`${labels.cache_type}/${labels.cache_name}`, { labels, read });
}

/** For a cache only a look-up can measure (Redis): sets the gauges from what the look-up saw. */
export function setCacheSize(labels: CacheLabels, size: CacheSize): void {
  watched.delete(`${labels.cache_type}/${labels.cache_name}`);
  cacheItems.set(labels, size.items);
  cacheSizeBytes.set(labels, size.bytes);
}
