// The limiter's vocabulary. A store holds token buckets; the limiter picks the store (Redis, or
// memory as the local default and the fallback), caches denials and labels each decision.

/** A token bucket: holds at most `capacity` tokens and regains `refillPerSecond` continuously. */
export interface BucketSpec {
  capacity: number;
  refillPerSecond: number;
}

/** What a store answers for one attempt to take `cost` tokens. */
export interface StoreDecision {
  allowed: boolean;
  /** The bucket's capacity (the tier's per-minute limit). */
  limit: number;
  /** Whole tokens left after this decision. */
  remaining: number;
  /** Epoch ms at which the bucket will be full again. */
  resetAtMs: number;
  /** Ms until `cost` tokens are available (0 when allowed). For cost 1: until one token is back. */
  retryAfterMs: number;
}

/**
 * Where a decision came from: `redis`; `memory` (no Redis configured); `fallback` (Redis failed or
 * was too slow, decided from memory); `cached_denial` (refused from this container's memory of a
 * recent denial, no store call); `unlimited` (admin: no store call at all).
 */
export type DecisionReason = 'redis' | 'memory' | 'fallback' | 'cached_denial' | 'unlimited';

export interface Decision extends StoreDecision {
  reason: DecisionReason;
}

/** What a store answers for a batch of `count` requests of `cost` tokens each (one script call). */
export interface BatchDecision {
  /** Requests granted: the first `granted` of the batch, each taking `cost` tokens. */
  granted: number;
  /** The bucket's capacity (the tier's per-minute limit). */
  limit: number;
  /** Whole tokens left after the batch. */
  remaining: number;
  /** Epoch ms (the caller's clock) at which the bucket will be full again. */
  resetAtMs: number;
  /** Ms until the next request of `cost` would be granted (0 when the whole batch was). */
  retryAfterMs: number;
}

/** The shared store (Redis). The limiter keeps its memory buckets itself (memory-store.ts). */
export interface TokenStore {
  /**
   * Grants the first of `count` requests of `cost` tokens each that the bucket at `key` holds,
   * at the caller's clock `nowMs` (epoch ms); takes nothing for the others.
   */
  takeBatch(key: string, bucket: BucketSpec, cost: number, count: number, nowMs: number, signal?: AbortSignal): Promise<BatchDecision>;
  /** Settles a late call: takes `tokens` whatever the bucket holds (debt allowed), or gives -`tokens` back. */
  settle(key: string, bucket: BucketSpec, tokens: number, nowMs: number, signal?: AbortSignal): Promise<void>;
}
