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

export interface TokenStore {
  /**
   * Takes `cost` tokens from the bucket at `key` if it holds that many, else takes nothing.
   * `now` is ignored by stores with their own clock (Redis uses its TIME).
   */
  take(key: string, bucket: BucketSpec, cost: number, signal?: AbortSignal): Promise<StoreDecision>;
}
