// A small bounded in-memory cache with per-entry expiry, for per-container caching of look-ups.
// A Map keeps insertion order, so re-inserting an entry on every hit makes the first key the least
// recently used one: that is the one evicted when the cache is full. Expired entries are dropped
// when read, or when eviction reaches them.

export interface TtlCacheOptions {
  /** Default time to live of an entry, in milliseconds; 0 or less caches nothing. */
  ttlMs: number;
  /** Most entries held; the least recently used one goes first. Default 1,000. */
  maxEntries?: number;
  /** Clock in milliseconds; injectable for tests. Default `Date.now`. */
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class TtlCache<K, V> {
  readonly #entries = new Map<K, Entry<V>>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: TtlCacheOptions) {
    const maxEntries = options.maxEntries ?? 1000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${String(maxEntries)}`);
    }
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = maxEntries;
    this.#now = options.now ?? Date.now;
  }

  /** Entries held, expired ones included until they are read or evicted. */
  get size(): number {
    return this.#entries.size;
  }

  /** The value for `key`, or undefined when absent or expired. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (this.#now() >= entry.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    // Move to the end: the most recently used entry is evicted last.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value` for `ttlMs` (default: the cache's TTL); a TTL of 0 or less stores nothing. */
  set(key: K, value: V, ttlMs: number = this.#ttlMs): void {
    this.#entries.delete(key);
    if (ttlMs <= 0) return;
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
