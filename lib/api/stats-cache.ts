// GET /v1/signals/stats, per container: the statistics statement scans the whole table (three
// GROUP BYs and three percentiles), so a caller gets the container's last result while it is
// younger than STATS_CACHE_TTL_MS, and concurrent callers of an expired one share one statement.
// The cost of a request no longer grows with the table; the figures are at most a TTL old (the
// response says how old through Cache-Control and Age).
import type { SignalStats } from '../db/signals-types.js';

export interface StatsCacheOptions {
  ttlMs: number;
  load(): Promise<SignalStats>;
  /** Clock, ms. Default `Date.now`. */
  now?: () => number;
}

export interface CachedStats {
  stats: SignalStats;
  /** Age of the figures, ms. */
  ageMs: number;
}

export interface StatsCache {
  get(): Promise<CachedStats>;
  /** Drops the cached figures (tests). */
  clear(): void;
}

export function createStatsCache(options: StatsCacheOptions): StatsCache {
  const now = options.now ?? Date.now;
  let cached: { stats: SignalStats; at: number } | undefined;
  let inflight: Promise<{ stats: SignalStats; at: number }> | undefined;

  return {
    async get() {
      if (cached !== undefined && now() - cached.at < options.ttlMs) return { stats: cached.stats, ageMs: now() - cached.at };
      inflight ??= options
        .load()
        .then((stats) => {
          const entry = { stats, at: now() };
          if (options.ttlMs > 0) cached = entry;
          return entry;
        })
        .finally(() => {
          inflight = undefined;
        });
      const entry = await inflight;
      return { stats: entry.stats, ageMs: now() - entry.at };
    },
    clear() {
      cached = undefined;
    },
  };
}
