// Token buckets in this container's memory: the local default (no Redis configured) and the
// fallback when Redis fails. The arithmetic is the Redis script's: continuous refill, take `cost`
// only when that many tokens are there (a refusal takes nothing), whole tokens reported.
//
// Bounded: a bucket that has refilled to full carries no information (a missing bucket *is* a full
// one), so full buckets are never kept and are the first dropped when the map is at `maxBuckets`;
// past that the least recently used bucket goes (a Map keeps insertion order and every touch
// re-inserts, so the first key is the least recently used).
import type { BucketSpec, StoreDecision } from './types.js';

/**
 * `retryAfterMs` of a request that can never succeed (its cost exceeds the bucket's capacity).
 * Every store reports this same value (the Redis store maps its own sentinel to it), so callers
 * can test `retryAfterMs === RETRY_NEVER_MS`. A finite number, so it survives JSON and arithmetic.
 */
export const RETRY_NEVER_MS = Number.MAX_SAFE_INTEGER;

/**
 * Slack, in tokens, for floating-point error in the refill arithmetic: a bucket that should hold
 * exactly `cost` tokens at the advertised retry time must not miss by 1e-13. A millionth of a
 * token is far below anything a caller could exploit.
 */
const EPSILON = 1e-6;

export interface MemoryStoreOptions {
  /** Most buckets held; full buckets go first, then the least recently used. Default 10,000. */
  maxBuckets?: number;
  /** Clock in epoch milliseconds; injectable for tests. Default `Date.now`. */
  now?: () => number;
}

interface Bucket {
  /** Tokens held at `updatedAt` (not yet refilled). */
  tokens: number;
  /** Epoch ms of the last decision on this bucket. */
  updatedAt: number;
  /** Epoch ms at which the bucket is full again if nobody takes from it. */
  fullAt: number;
}

export class MemoryStore {
  readonly #buckets = new Map<string, Bucket>();
  readonly #maxBuckets: number;
  readonly #now: () => number;
  /**
   * No held bucket is full before this time (a lower bound: touching a bucket only moves its
   * `fullAt` later). Lets an insert into a full map skip the sweep for full buckets when it
   * cannot find any.
   */
  #earliestFullAt = Number.POSITIVE_INFINITY;
  /** Sweeps for full buckets run at most once per this many evictions. */
  readonly #sweepEvery: number;
  #callsSinceSweep: number;
  /** Walks the map in insertion order to find the least recently used bucket (see #nextOldest). */
  #cursor: MapIterator<[string, Bucket]> | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    const maxBuckets = options.maxBuckets ?? 10_000;
    if (!Number.isInteger(maxBuckets) || maxBuckets < 1) {
      throw new RangeError(`maxBuckets must be a positive integer, got ${String(maxBuckets)}`);
    }
    this.#maxBuckets = maxBuckets;
    this.#sweepEvery = Math.max(1, Math.floor(maxBuckets / 8));
    this.#callsSinceSweep = this.#sweepEvery;
    this.#now = options.now ?? Date.now;
  }

  /** Buckets held (every one of them not full). */
  get size(): number {
    return this.#buckets.size;
  }

  /** Forgets every bucket (tests). */
  clear(): void {
    this.#buckets.clear();
    this.#cursor = undefined;
    this.#earliestFullAt = Number.POSITIVE_INFINITY;
  }

  /** `takeSync` as a promise (the shape of a store call); memory answers at once, so `signal` is not consulted. */
  take(key: string, bucket: BucketSpec, cost: number, _signal?: AbortSignal): Promise<StoreDecision> {
    // A throw inside the executor (RangeError) becomes a rejection, as from any other store.
    return new Promise((resolve) => resolve(this.takeSync(key, bucket, cost)));
  }

  /**
   * Takes `cost` tokens from the bucket at `key` if it holds that many, else takes nothing; the
   * synchronous form the limiter uses on its hot path.
   * @throws RangeError when the bucket has no positive finite capacity and refill rate, or `cost`
   *   is negative or not finite.
   */
  takeSync(key: string, bucket: BucketSpec, cost: number): StoreDecision {
    const { capacity, refillPerSecond } = bucket;
    if (!(capacity > 0 && capacity < Infinity && refillPerSecond > 0 && refillPerSecond < Infinity)) {
      throw new RangeError(`invalid bucket: capacity ${String(capacity)}, refillPerSecond ${String(refillPerSecond)}`);
    }
    if (!(cost >= 0 && cost < Infinity)) throw new RangeError(`cost must be a finite number ≥ 0, got ${String(cost)}`);

    const now = this.#now();
    const held = this.#buckets.get(key);
    let tokens = capacity;
    let at = now;
    if (held !== undefined) {
      // A clock that stepped back refills nothing, and the interval is not credited twice.
      if (held.updatedAt > now) at = held.updatedAt;
      tokens = Math.min(capacity, held.tokens + ((at - held.updatedAt) * refillPerSecond) / 1000);
    }

    const allowed = tokens + EPSILON >= cost;
    if (allowed) tokens = tokens > cost ? tokens - cost : 0;

    const missing = capacity - tokens;
    const fullInMs = missing > EPSILON ? Math.ceil((missing * 1000) / refillPerSecond) : 0;
    const fullAt = at + fullInMs;
    if (fullInMs === 0) {
      // Full: the same as no bucket at all.
      if (held !== undefined) this.#buckets.delete(key);
    } else if (held === undefined) {
      if (this.#buckets.size >= this.#maxBuckets) this.#makeRoom(now);
      this.#buckets.set(key, { tokens, updatedAt: at, fullAt });
      if (fullAt < this.#earliestFullAt) this.#earliestFullAt = fullAt;
    } else {
      held.tokens = tokens;
      held.updatedAt = at;
      held.fullAt = fullAt;
      // Re-insert: the most recently used bucket is evicted last.
      this.#buckets.delete(key);
      this.#buckets.set(key, held);
    }

    let retryAfterMs = 0;
    if (!allowed) {
      retryAfterMs = cost > capacity ? RETRY_NEVER_MS : Math.ceil(((cost - tokens) * 1000) / refillPerSecond);
    }
    return {
      allowed,
      limit: capacity,
      remaining: Math.floor(tokens + EPSILON),
      resetAtMs: fullAt,
      retryAfterMs,
    };
  }

  /**
   * Sets the bucket at `key` to hold `tokens` now (`set`), or at most that many (`cap`: a bucket
   * already lower stays as it is). The limiter copies what Redis reports here, so its fallback
   * never starts fuller than Redis last said.
   */
  setTokens(key: string, bucket: BucketSpec, tokens: number, mode: 'set' | 'cap'): void {
    const { capacity, refillPerSecond } = bucket;
    const now = this.#now();
    const held = this.#buckets.get(key);
    let at = now;
    let current = capacity;
    if (held !== undefined) {
      if (held.updatedAt > now) at = held.updatedAt;
      current = Math.min(capacity, held.tokens + ((at - held.updatedAt) * refillPerSecond) / 1000);
    }
    const target = Math.max(0, Math.min(capacity, mode === 'set' ? tokens : Math.min(current, tokens)));
    const missing = capacity - target;
    if (missing <= EPSILON) {
      if (held !== undefined) this.#buckets.delete(key);
      return;
    }
    const fullAt = at + Math.ceil((missing * 1000) / refillPerSecond);
    if (held === undefined) {
      if (this.#buckets.size >= this.#maxBuckets) this.#makeRoom(now);
      this.#buckets.set(key, { tokens: target, updatedAt: at, fullAt });
      if (fullAt < this.#earliestFullAt) this.#earliestFullAt = fullAt;
      return;
    }
    held.tokens = target;
    held.updatedAt = at;
    held.fullAt = fullAt;
    this.#buckets.delete(key);
    this.#buckets.set(key, held);
  }

  /**
   * Frees at least one slot. The least recently used bucket goes if it is full; else, when some
   * bucket may be full, a sweep drops every full one; else the least recently used goes. A sweep
   * costs O(maxBuckets), so it runs at most once per `maxBuckets / 8` calls: amortised O(1) even
   * when buckets turn full one at a time (between sweeps a live bucket may go while a full one
   * stays, which only costs that client a fresh bucket).
   */
  #makeRoom(now: number): void {
    this.#callsSinceSweep += 1;
    const oldest = this.#nextOldest();
    if (oldest === undefined) return;
    const [oldestKey, oldestBucket] = oldest;
    if (oldestBucket.fullAt > now && now >= this.#earliestFullAt && this.#callsSinceSweep >= this.#sweepEvery) {
      this.#callsSinceSweep = 0;
      // The cursor has passed `oldest`, which may survive the sweep: start it afresh.
      this.#cursor = undefined;
      let earliest = Number.POSITIVE_INFINITY;
      for (const [key, held] of this.#buckets) {
        if (held.fullAt <= now) this.#buckets.delete(key);
        else if (held.fullAt < earliest) earliest = held.fullAt;
      }
      this.#earliestFullAt = earliest;
      if (this.#buckets.size < this.#maxBuckets) return;
    }
    this.#buckets.delete(oldestKey);
  }

  /**
   * The least recently used entry. V8 leaves a hole for every deleted Map entry until the table
   * is rebuilt, and a fresh iterator walks past all of them, so `keys().next()` on a map used as
   * a queue costs O(holes) (~5 µs at 10,000 entries). One long-lived cursor walks past each hole
   * once. Everything before the cursor has been evicted (or re-inserted behind it), so what it
   * yields next is the oldest live entry.
   */
  #nextOldest(): [string, Bucket] | undefined {
    this.#cursor ??= this.#buckets.entries();
    let step = this.#cursor.next();
    if (step.done === true) {
      this.#cursor = this.#buckets.entries();
      step = this.#cursor.next();
    }
    return step.done === true ? undefined : step.value;
  }
}
