// What a feed request reads: the watch behind a token and its page of signals, in one round trip
// when this container has seen the token lately. The look-up (token hash → watch) is cached per
// container, but never trusted alone: the page query carries a guard that the watch is exactly as
// cached (feedWatchCurrent), so a rotated token, an edited or deleted watch or a revoked key takes
// effect on the next request, as without the cache. An empty page from a cached look-up is
// ambiguous (guard failed, or nothing matches), so it is looked up afresh once.
import { TtlCache } from '../../cache/ttl-cache.js';
import type { Queryable } from '../../db/types.js';
import { feedWatchCurrent, findWatchByFeedTokenHash, type FeedWatch } from '../../db/watches-repo.js';
import { cacheHits, cacheMisses, watchCacheSize } from '../../metrics/cache-metrics.js';
import type { Signal } from '../../model/signal.js';
import { feedSignals } from './feed-page.js';

/** Tokens remembered per container; a watch row is small (~1 KB with its filter). */
const WATCH_ENTRIES = 1000;
/** Bounds memory only: correctness comes from the guard, not from expiry. */
const WATCH_TTL_MS = 10 * 60_000;
const WATCH_ENTRY_BYTES = 1024;
const LABELS = { cache_type: 'memory', cache_name: 'feed_watch' } as const;

const watches = new TtlCache<string, FeedWatch>({ ttlMs: WATCH_TTL_MS, maxEntries: WATCH_ENTRIES });
watchCacheSize(LABELS, () => ({ items: watches.size, bytes: watches.size * WATCH_ENTRY_BYTES }));

export interface FeedSource {
  watch: FeedWatch;
  signals: Signal[];
}

async function lookUp(db: Queryable, hash: string): Promise<FeedWatch | undefined> {
  const watch = await findWatchByFeedTokenHash(db, hash);
  // Unknown tokens are not remembered: a flood of random ones must not evict real feeds.
  if (watch === undefined || watch.ownerRevoked) return undefined;
  watches.set(hash, watch);
  return watch;
}

/** The watch with feed token hash `hash` and its newest `limit` signals; undefined when there is no live feed there. */
export async function loadFeed(db: Queryable, hash: string, limit: number): Promise<FeedSource | undefined> {
  const cached = watches.get(hash);
  if (cached !== undefined) {
    cacheHits.inc(LABELS);
    const signals = await feedSignals(db, cached, limit, [feedWatchCurrent(hash, cached)]);
    if (signals.length > 0) return { watch: cached, signals };
    watches.delete(hash);
  } else {
    cacheMisses.inc(LABELS);
  }
  const watch = await lookUp(db, hash);
  if (watch === undefined) return undefined;
  return { watch, signals: await feedSignals(db, watch, limit) };
}

/** Forgets every cached look-up (tests). */
export function clearFeedWatchCache(): void {
  watches.clear();
}
