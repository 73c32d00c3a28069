// The rate limiter: one token bucket per (identifier, tier), kept in Redis when a store is given
// and in this container's memory otherwise. Every decision says where it came from (`reason`):
//   unlimited      admin, no store call at all;
//   cached_denial  refused from memory of a recent Redis denial, until its retry time (no call);
//   redis          the store answered within its time budget;
//   fallback       the store failed, was too slow, or failed less than `redisRetryMs` ago:
//                  decided from the memory store, counted, logged at most once per interval;
//   memory         no store configured.
// A Redis outage never throws out of `check`, and the limiter goes back to Redis by itself.
import type { Tier } from '../model/tiers.js';
import { getConfig } from '../config.js';
import { log } from '../log/index.js';
import { rateLimitDenials, rateLimitFallbacks, rateLimitRequests } from '../metrics/rate-limit-metrics.js';
import { bucketKeyFromHash, hashIdentifier } from './bucket-key.js';
import { MemoryStore, RETRY_NEVER_MS } from './memory-store.js';
import type { BucketSpec, Decision, DecisionReason, StoreDecision, TokenStore } from './types.js';

/** The tiers that have a limit; admin is unlimited. */
export type LimitedTier = Exclude<Tier, 'admin'>;

/** Requests per minute of each limited tier (= bucket capacity; refill is capacity / 60 per s). */
export type TierLimits = Readonly<Record<LimitedTier, number>>;

export interface RateLimiterOptions {
  /** The shared store (Redis). Undefined: memory only, every decision has reason `memory`. */
  store?: TokenStore;
  /** The memory store, for decisions without a store and for the fallback. Default: a new one. */
  memory?: MemoryStore;
  /** Requests per minute per tier; admin is unlimited. */
  limits: TierLimits;
  /** Time budget of one store call in ms; past it the call is aborted and memory decides.
   *  Default: config `RATE_LIMIT_REDIS_TIMEOUT_MS` (50). */
  timeoutMs?: number;
  /**
   * After a store failure or timeout, skip the store for this many ms and decide from memory
   * (reason `fallback`), so an outage does not cost every request the full `timeoutMs`. The first
   * call after the pause tries the store again, and one success ends the degraded state.
   * 0 tries the store on every call. Default 1,000.
   */
  redisRetryMs?: number;
  /** Clock in epoch ms (denial cache, retry pause, warning interval). Default `Date.now`. */
  now?: () => number;
  /** Least time between two warnings about the store failing. Default 60,000. */
  warnIntervalMs?: number;
  /** Prefix of every bucket key (isolates tests or environments). Default ''. */
  keyPrefix?: string;
  /** Most denials remembered; the oldest is forgotten first. Default 10,000. */
  maxCachedDenials?: number;
}

/** For the readiness check. */
export interface RateLimiterStatus {
  /** `redis` when a store is configured (even while degraded), else `memory`. */
  backend: 'redis' | 'memory';
  /** Whether the most recent store attempt failed (decisions come from memory meanwhile). */
  degraded: boolean;
  /** Message of the most recent store failure. */
  lastError?: string;
  /** Epoch ms of the most recent store failure. */
  lastFailureAt?: number;
}

/** Why a store call was abandoned: it did not answer within the limiter's time budget. */
export class RateLimitStoreTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`rate-limit store did not answer within ${String(timeoutMs)} ms`);
    this.name = 'RateLimitStoreTimeoutError';
  }
}

interface CachedDenial {
  /** The cost that was refused; a request costing at least this much is refused too. */
  cost: number;
  limit: number;
  remaining: number;
  resetAtMs: number;
  /** Epoch ms until which the denial stands. */
  retryAtMs: number;
}

/**
 * Bucket keys remembered per tier. Hashing costs ~0.4 µs; and a key string used before has its
 * own hash cached by V8, which makes the memory store's Map look-up ~3× cheaper than with a
 * freshly built 80-character key. Past this size the cache starts over (no eviction order to
 * maintain; at worst a key is rebuilt).
 */
const MAX_CACHED_KEYS = 1_000;

export class RateLimiter {
  readonly #store: TokenStore | undefined;
  readonly #memory: MemoryStore;
  readonly #buckets: Readonly<Record<LimitedTier, BucketSpec>>;
  readonly #timeoutMs: number;
  readonly #redisRetryMs: number;
  readonly #now: () => number;
  readonly #warnIntervalMs: number;
  readonly #keyPrefix: string;
  readonly #maxCachedDenials: number;
  readonly #denials = new Map<string, CachedDenial>();
  #denialCursor: MapIterator<string> | undefined;
  readonly #keys: Readonly<Record<LimitedTier, Map<string, string>>> = {
    anonymous: new Map(),
    api_key: new Map(),
    premium: new Map(),
  };

  #degraded = false;
  /** Epoch ms of the failure that began the current degraded spell. */
  #degradedSince = 0;
  #lastError: string | undefined;
  #lastFailureAt: number | undefined;
  /** Until when the store is skipped after a failure. */
  #skipStoreUntil = Number.NEGATIVE_INFINITY;
  #lastWarnAt = Number.NEGATIVE_INFINITY;
  /** Fallback decisions since the last warning, reported with the next one. */
  #fallbacksSinceWarning = 0;

  constructor(options: RateLimiterOptions) {
    const { limits } = options;
    this.#buckets = {
      anonymous: bucketFor('anonymous', limits.anonymous),
      api_key: bucketFor('api_key', limits.api_key),
      premium: bucketFor('premium', limits.premium),
    };
    this.#timeoutMs = options.timeoutMs ?? getConfig().RATE_LIMIT_REDIS_TIMEOUT_MS;
    if (!(this.#timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${String(this.#timeoutMs)}`);
    this.#redisRetryMs = options.redisRetryMs ?? 1_000;
    this.#now = options.now ?? Date.now;
    this.#store = options.store;
    this.#memory = options.memory ?? new MemoryStore({ now: this.#now });
    this.#warnIntervalMs = options.warnIntervalMs ?? 60_000;
    this.#keyPrefix = options.keyPrefix ?? '';
    this.#maxCachedDenials = options.maxCachedDenials ?? 10_000;
  }

  /**
   * Decides whether `identifier` (an API key id or client IP) of `tier` may spend `cost` tokens.
   * Never throws for a store failure; throws RangeError for a cost that is not a finite number ≥ 0.
   * An admin decision has reason `unlimited`, `limit` and `remaining` Infinity: send no
   * X-RateLimit headers for it.
   */
  async check(identifier: string, tier: Tier, cost = 1): Promise<Decision> {
    if (tier === 'admin') {
      rateLimitRequests.inc({ tier, result: 'allowed' });
      const now = this.#now();
      return { allowed: true, limit: Infinity, remaining: Infinity, resetAtMs: now, retryAfterMs: 0, reason: 'unlimited' };
    }
    if (!(cost >= 0 && cost < Infinity)) throw new RangeError(`cost must be a finite number ≥ 0, got ${String(cost)}`);

    const bucket = this.#buckets[tier];
    const key = this.#keyOf(identifier, tier);
    const decision =
      this.#store === undefined
        ? decide(this.#memory.takeSync(key, bucket, cost), 'memory')
        : await this.#fromStore(this.#store, key, bucket, cost);

    if (decision.allowed) {
      rateLimitRequests.inc({ tier, result: 'allowed' });
    } else {
      rateLimitRequests.inc({ tier, result: 'denied' });
      rateLimitDenials.inc({ tier });
    }
    return decision;
  }

  status(): RateLimiterStatus {
    const backend = this.#store === undefined ? 'memory' : 'redis';
    const status: RateLimiterStatus = { backend, degraded: this.#degraded };
    if (this.#lastError !== undefined) status.lastError = this.#lastError;
    if (this.#lastFailureAt !== undefined) status.lastFailureAt = this.#lastFailureAt;
    return status;
  }

  async #fromStore(store: TokenStore, key: string, bucket: BucketSpec, cost: number): Promise<Decision> {
    const now = this.#now();
    const denial = this.#cachedDenial(key, cost, now);
    if (denial !== undefined) return denial;

    if (now < this.#skipStoreUntil) return this.#fallback(key, bucket, cost);

    let answer: StoreDecision;
    try {
      answer = await this.#takeWithin(store, key, bucket, cost);
    } catch (error) {
      this.#recordFailure(error);
      return this.#fallback(key, bucket, cost);
    }
    this.#recordSuccess();
    if (!answer.allowed) this.#rememberDenial(key, cost, answer);
    return decide(answer, 'redis');
  }

  /** The store's answer, or a rejection when it fails or exceeds the budget (then it is aborted). */
  async #takeWithin(store: TokenStore, key: string, bucket: BucketSpec, cost: number): Promise<StoreDecision> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const error = new RateLimitStoreTimeoutError(this.#timeoutMs);
        // Reject before aborting: a store that rejects on abort must not win the race.
        reject(error);
        controller.abort(error);
      }, this.#timeoutMs);
    });
    try {
      return await Promise.race([store.take(key, bucket, cost, controller.signal), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #fallback(key: string, bucket: BucketSpec, cost: number): Decision {
    rateLimitFallbacks.inc();
    this.#fallbacksSinceWarning += 1;
    return decide(this.#memory.takeSync(key, bucket, cost), 'fallback');
  }

  #recordFailure(error: unknown): void {
    const now = this.#now();
    if (!this.#degraded) this.#degradedSince = now;
    this.#degraded = true;
    this.#lastError = error instanceof Error ? error.message : String(error);
    this.#lastFailureAt = now;
    if (this.#redisRetryMs > 0) this.#skipStoreUntil = now + this.#redisRetryMs;
    if (now - this.#lastWarnAt < this.#warnIntervalMs) return;
    this.#lastWarnAt = now;
    log.warn('rate limiter deciding from memory: Redis failed', {
      reason: error instanceof RateLimitStoreTimeoutError ? 'redis_timeout' : 'redis_unavailable',
      error: error instanceof Error ? error : new Error(String(error)),
      timeoutMs: this.#timeoutMs,
      // Fallback decisions since the previous warning (this one's is counted next).
      fallbacks: this.#fallbacksSinceWarning,
    });
    this.#fallbacksSinceWarning = 0;
  }

  #recordSuccess(): void {
    if (!this.#degraded) return;
    this.#degraded = false;
    log.info('rate limiter back on Redis', { degradedForMs: this.#now() - this.#degradedSince });
  }

  #cachedDenial(key: string, cost: number, now: number): Decision | undefined {
    const denial = this.#denials.get(key);
    if (denial === undefined) return undefined;
    if (now >= denial.retryAtMs) {
      this.#denials.delete(key);
      return undefined;
    }
    // A cheaper request may fit in what the bucket holds: ask the store.
    if (cost < denial.cost) return undefined;
    return {
      allowed: false,
      limit: denial.limit,
      // What the store said at the denial: a lower bound, the bucket has only refilled since.
      remaining: denial.remaining,
      resetAtMs: denial.resetAtMs,
      retryAfterMs: denial.retryAtMs - now,
      reason: 'cached_denial',
    };
  }

  #rememberDenial(key: string, cost: number, answer: StoreDecision): void {
    // A request that can never succeed is not worth a slot: it would block the key for good.
    if (answer.retryAfterMs <= 0 || answer.retryAfterMs >= RETRY_NEVER_MS) return;
    this.#denials.delete(key);
    if (this.#denials.size >= this.#maxCachedDenials) this.#forgetOldestDenial();
    this.#denials.set(key, {
      cost,
      limit: answer.limit,
      remaining: answer.remaining,
      resetAtMs: answer.resetAtMs,
      retryAtMs: this.#now() + answer.retryAfterMs,
    });
  }

  /**
   * Drops the oldest cached denial through one long-lived cursor: a fresh `keys().next()` walks
   * past every hole V8 leaves for a deleted entry (O(holes), ~5 µs at 10,000 entries); the cursor
   * passes each hole once, and everything before it has been deleted, so it yields the oldest.
   */
  #forgetOldestDenial(): void {
    this.#denialCursor ??= this.#denials.keys();
    let step = this.#denialCursor.next();
    if (step.done === true) {
      this.#denialCursor = this.#denials.keys();
      step = this.#denialCursor.next();
    }
    if (step.done !== true) this.#denials.delete(step.value);
  }

  #keyOf(identifier: string, tier: LimitedTier): string {
    const keys = this.#keys[tier];
    let key = keys.get(identifier);
    if (key === undefined) {
      key = bucketKeyFromHash(hashIdentifier(identifier), tier, this.#keyPrefix);
      if (keys.size >= MAX_CACHED_KEYS) keys.clear();
      keys.set(identifier, key);
    }
    return key;
  }
}

function bucketFor(tier: LimitedTier, perMinute: number): BucketSpec {
  if (!(perMinute > 0 && perMinute < Infinity)) {
    throw new RangeError(`limit of tier ${tier} must be a positive number, got ${String(perMinute)}`);
  }
  return { capacity: perMinute, refillPerSecond: perMinute / 60 };
}

function decide(answer: StoreDecision, reason: DecisionReason): Decision {
  return {
    allowed: answer.allowed,
    limit: answer.limit,
    remaining: answer.remaining,
    resetAtMs: answer.resetAtMs,
    retryAfterMs: answer.retryAfterMs,
    reason,
  };
}
