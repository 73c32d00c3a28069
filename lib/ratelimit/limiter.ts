// The rate limiter: one token bucket per (identifier, tier), kept in Redis when a store is given
// and in this container's memory otherwise. Every decision says where it came from (`reason`):
//   unlimited      admin, no store call at all;
//   cached_denial  refused from memory of a recent Redis denial, until its retry time (no call);
//   redis          the store answered within its time budget;
//   fallback       the store failed, was too slow, or failed less than `redisRetryMs` ago:
//                  decided from the memory store, counted, logged at most once per interval;
//   memory         no store configured.
// A Redis outage never throws out of `check`, and the limiter goes back to Redis by itself.
//
// Exact under bursts, bounded under slowness (issue 12):
// - Concurrent decisions for one bucket in this container are coalesced: the first starts a batch
//   that is sent a microtask later, and while a call for the bucket is in flight newcomers wait in
//   the next batch. One script call decides a whole batch (count = n), so a burst of n requests is
//   one round trip and Redis decides it exactly, instead of n calls queueing in our event loop.
// - The fallback bucket never starts fuller than what Redis last reported for the key, times the
//   fallback share (RATE_LIMIT_FALLBACK_SHARE, 0.25): every Redis answer is copied into it; a key
//   Redis never reported starts at share × capacity. It refills at share × rate. So while Redis is
//   slow or down, N containers grant at most N × share × (what was left + refill): with four
//   containers exactly what one Redis bucket would.
// - A budget overrun caused by our own event loop (the budget's timer fired late: the reply may be
//   sitting unread behind our own queue) is not a Redis failure: the batch gets one more budget,
//   and if it still misses, it falls back without tripping the retry pause.
// - A call that missed its budget is not abandoned at once: kept up to `lateReplyMs`, its late
//   reply is settled, so the client is charged once, for what it was given. Redis granted g
//   requests that the fallback had already decided, m of them allowed: one more call moves the
//   bucket by (m − g)·cost (gives back what Redis took for refused requests, or charges what the
//   fallback admitted beyond Redis, as a debt the refill repays), and the fallback bucket is capped
//   at what Redis then holds. A batch still waiting behind a call in flight when its budget ends is
//   never sent, so it charges Redis nothing.
// - A cold container's first call pays DNS, TCP and TLS (and the client's import) on top of the
//   round trip (issue 13, point 6). The limiter fires a warm-up request (`warmUp`, a PING) when it
//   is built, not awaited, its failure logged once; until a store call or the warm-up has
//   answered, decisions get the cold-start budget (RATE_LIMIT_COLD_START_TIMEOUT_MS) instead of
//   the warm one. One cold try only: a call that fails or misses the cold budget ends it.
import type { Tier } from '../model/tiers.js';
import { getConfig } from '../config.js';
import { log } from '../log/index.js';
import { rateLimitDenials, rateLimitFallbacks, rateLimitRequests, watchBuckets } from '../metrics/rate-limit-metrics.js';
import { bucketKeyFromHash, hashIdentifier } from './bucket-key.js';
import { MemoryStore, RETRY_NEVER_MS } from './memory-store.js';
import type { BatchDecision, BucketSpec, Decision, DecisionReason, StoreDecision, TokenStore } from './types.js';

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
  /** Time budget of one decision in ms; past it memory decides. Default: config
   *  `RATE_LIMIT_REDIS_TIMEOUT_MS` (50). When the budget's timer fires late (our own event loop
   *  was the delay), the decision gets one more budget. */
  timeoutMs?: number;
  /** Budget of the decisions sent before the store first answered (the connection is being
   *  opened); never below `timeoutMs`. Default `timeoutMs` (no cold-start allowance); the
   *  container's limiter (default-limiter.ts) passes config `RATE_LIMIT_COLD_START_TIMEOUT_MS` (300). */
  coldStartTimeoutMs?: number;
  /** A cheap store request (a PING) fired once when the limiter is built, so the connection is
   *  open before the first decision; its answer ends the cold start. Not awaited; a failure is
   *  logged once and leaves the cold-start budget to the first decision. */
  warmUp?: () => Promise<unknown>;
  /**
   * After a store failure or timeout, skip the store for this many ms and decide from memory
   * (reason `fallback`), so an outage does not cost every request the full `timeoutMs`. The first
   * call after the pause tries the store again, and one success ends the degraded state.
   * 0 tries the store on every call. Default 1,000.
   */
  redisRetryMs?: number;
  /**
   * Share of a bucket this container may grant while the store fails (see the header).
   * Default: config `RATE_LIMIT_FALLBACK_SHARE` (0.25).
   */
  fallbackShare?: number;
  /** How long a call that missed its budget is kept, to settle what it did in Redis; then it is
   *  aborted. Default 2,000. */
  lateReplyMs?: number;
  /** Clock in epoch ms (sent to the store, denial cache, retry pause, warning interval). Default `Date.now`. */
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

/** One decision waiting in a batch. */
interface Waiter {
  resolve: (decision: Decision) => void;
  /** Set once answered (by Redis or the fallback); what the fallback granted, for settling. */
  answeredBy?: 'redis' | 'fallback';
  allowedByFallback?: boolean;
}

/** Concurrent decisions of one cost for one bucket, decided by one store call. */
interface Batch {
  /** `key` + cost: where the batch is registered. */
  id: string;
  key: string;
  tier: LimitedTier;
  cost: number;
  waiters: Waiter[];
  /** pending: collecting, not sent; sent: its call is in flight within budget; expired: decided by the fallback. */
  state: 'pending' | 'sent' | 'expired';
  timer: NodeJS.Timeout | undefined;
  /** performance.now() at which the budget timer is due (to tell a late timer). */
  dueAt: number;
  /** The budget it was given: the warm one, or the cold-start one. */
  budgetMs: number;
  extended: boolean;
  controller: AbortController | undefined;
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
  /** The same buckets scaled by the fallback share: what one container may grant alone. */
  readonly #fallbackBuckets: Readonly<Record<LimitedTier, BucketSpec>>;
  readonly #share: number;
  readonly #timeoutMs: number;
  readonly #coldStartTimeoutMs: number;
  /** No store call (nor the warm-up) has answered yet: batches get the cold-start budget. */
  #cold: boolean;
  readonly #redisRetryMs: number;
  readonly #lateReplyMs: number;
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
  /** Batches collecting decisions, by bucket key + cost. */
  readonly #pending = new Map<string, Batch>();
  /** Batches whose call has not settled yet (in budget or late), by bucket key + cost. */
  readonly #inFlight = new Map<string, Batch>();

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
    this.#share = options.fallbackShare ?? getConfig().RATE_LIMIT_FALLBACK_SHARE;
    if (!(this.#share > 0 && this.#share <= 1)) throw new RangeError(`fallbackShare must be in (0, 1], got ${String(this.#share)}`);
    const scaled = (bucket: BucketSpec): BucketSpec => ({ capacity: bucket.capacity * this.#share, refillPerSecond: bucket.refillPerSecond * this.#share });
    this.#fallbackBuckets = {
      anonymous: scaled(this.#buckets.anonymous),
      api_key: scaled(this.#buckets.api_key),
      premium: scaled(this.#buckets.premium),
    };
    this.#timeoutMs = options.timeoutMs ?? getConfig().RATE_LIMIT_REDIS_TIMEOUT_MS;
    if (!(this.#timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${String(this.#timeoutMs)}`);
    this.#coldStartTimeoutMs = Math.max(this.#timeoutMs, options.coldStartTimeoutMs ?? this.#timeoutMs);
    this.#cold = options.store !== undefined;
    this.#redisRetryMs = options.redisRetryMs ?? 1_000;
    this.#lateReplyMs = options.lateReplyMs ?? 2_000;
    this.#now = options.now ?? Date.now;
    this.#store = options.store;
    this.#memory = options.memory ?? new MemoryStore({ now: this.#now });
    watchBuckets(this.#memory);
    this.#warnIntervalMs = options.warnIntervalMs ?? 60_000;
    this.#keyPrefix = options.keyPrefix ?? '';
    this.#maxCachedDenials = options.maxCachedDenials ?? 10_000;
    if (this.#store !== undefined && options.warmUp !== undefined) this.#startWarmUp(options.warmUp);
  }

  /** Opens the store's connection ahead of the first decision; never rejects. */
  #startWarmUp(warmUp: () => Promise<unknown>): void {
    let pending: Promise<unknown>;
    try {
      pending = warmUp();
    } catch (error) {
      pending = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    pending.then(
      () => {
        this.#cold = false;
      },
      (error: unknown) => {
        // The error's name and code only: its message and cause name the Redis host.
        log.warn('rate limiter: Redis warm-up failed; the first decision gets the cold-start budget', {
          error: error instanceof Error ? error.name : 'unknown',
          code: errorCode(error),
          coldStartTimeoutMs: this.#coldStartTimeoutMs,
        });
      },
    );
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

    const key = this.#keyOf(identifier, tier);
    const decision =
      this.#store === undefined
        ? decide(this.#memory.takeSync(key, this.#buckets[tier], cost), 'memory')
        : await this.#fromStore(key, tier, cost);

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

  #fromStore(key: string, tier: LimitedTier, cost: number): Decision | Promise<Decision> {
    const now = this.#now();
    const denial = this.#cachedDenial(key, cost, now);
    if (denial !== undefined) return denial;
    if (now < this.#skipStoreUntil) return this.#fallback(key, tier, cost);
    return new Promise<Decision>((resolve) => this.#join(key, tier, cost, { resolve }));
  }

  /** Adds a decision to the bucket's collecting batch, starting one (and its budget) if needed. */
  #join(key: string, tier: LimitedTier, cost: number, waiter: Waiter): void {
    const id = cost === 1 ? key : `${key}\u0000${String(cost)}`;
    let batch = this.#pending.get(id);
    if (batch === undefined) {
      const budgetMs = this.#cold ? this.#coldStartTimeoutMs : this.#timeoutMs;
      batch = { id, key, tier, cost, waiters: [], state: 'pending', timer: undefined, dueAt: 0, budgetMs, extended: false, controller: undefined };
      this.#pending.set(id, batch);
      this.#armBudget(batch, budgetMs);
      // A microtask later: the rest of a synchronous burst joins first. Behind a call in flight,
      // the batch is sent when that call settles.
      if (!this.#inFlight.has(id)) {
        const starting = batch;
        queueMicrotask(() => this.#send(starting));
      }
    }
    batch.waiters.push(waiter);
  }

  #armBudget(batch: Batch, ms: number): void {
    batch.dueAt = performance.now() + ms;
    batch.timer = setTimeout(() => this.#onBudgetEnd(batch), ms);
  }

  #send(batch: Batch): void {
    const store = this.#store;
    if (batch.state !== 'pending' || store === undefined) return;
    if (this.#pending.get(batch.id) === batch) this.#pending.delete(batch.id);
    batch.state = 'sent';
    batch.controller = new AbortController();
    this.#inFlight.set(batch.id, batch);
    const bucket = this.#buckets[batch.tier];
    let call: Promise<BatchDecision>;
    try {
      call = store.takeBatch(batch.key, bucket, batch.cost, batch.waiters.length, this.#now(), batch.controller.signal);
    } catch (error) {
      // A store that throws instead of rejecting (a bad argument, a broken client) fails the same way.
      call = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    call.then(
      (answer) => this.#onAnswer(batch, answer),
      (error: unknown) => this.#onCallFailed(batch, error),
    ).finally(() => this.#settled(batch));
  }

  /** The call of `batch` is over (answered, failed or aborted): the next batch may go. */
  #settled(batch: Batch): void {
    clearTimeout(batch.timer);
    if (this.#inFlight.get(batch.id) === batch) this.#inFlight.delete(batch.id);
    const next = this.#pending.get(batch.id);
    if (next !== undefined) this.#send(next);
  }

  #onBudgetEnd(batch: Batch): void {
    batch.timer = undefined;
    if (batch.state === 'expired') return;
    // The timer fired late: our own event loop was busy, and the reply may be waiting behind it.
    // Not Redis's fault: one more budget, and no retry pause if that one is missed too.
    const lateByMs = performance.now() - batch.dueAt;
    const ourQueue = lateByMs > Math.max(5, batch.budgetMs / 2);
    if (ourQueue && !batch.extended) {
      batch.extended = true;
      this.#armBudget(batch, this.#timeoutMs);
      return;
    }
    const wasSent = batch.state === 'sent';
    if (wasSent) this.#cold = false; // one cold try
    batch.state = 'expired';
    if (this.#pending.get(batch.id) === batch) this.#pending.delete(batch.id); // never sent: charges nothing
    for (const waiter of batch.waiters) this.#fallbackFor(batch, waiter);
    if (!wasSent) return;
    if (!ourQueue && !batch.extended) this.#recordFailure(new RateLimitStoreTimeoutError(batch.budgetMs));
    // Kept a while to settle what it did in Redis, then given up.
    const controller = batch.controller;
    const abandon = setTimeout(() => controller?.abort(new RateLimitStoreTimeoutError(this.#lateReplyMs)), this.#lateReplyMs);
    abandon.unref();
    batch.timer = abandon;
  }

  #onAnswer(batch: Batch, answer: BatchDecision): void {
    const share = this.#share;
    if (batch.state === 'expired') {
      this.#cold = false;
      this.#settleLate(batch, answer);
      return;
    }
    batch.state = 'expired'; // answered: nothing left to decide
    this.#cold = false;
    clearTimeout(batch.timer);
    this.#recordSuccess();
    // What Redis holds now, copied (scaled) into the fallback bucket: it never starts fuller.
    this.#memory.setTokens(batch.key, this.#fallbackBuckets[batch.tier], answer.remaining * share, 'set');
    const { waiters, cost } = batch;
    for (let i = 0; i < waiters.length; i += 1) {
      const waiter = waiters[i] as Waiter;
      waiter.answeredBy = 'redis';
      const allowed = i < answer.granted;
      waiter.resolve({
        allowed,
        limit: answer.limit,
        // Each granted request sees the tokens left after it, as if decided one by one.
        remaining: allowed ? Math.floor(answer.remaining + (answer.granted - 1 - i) * cost) : answer.remaining,
        resetAtMs: answer.resetAtMs,
        retryAfterMs: allowed ? 0 : answer.retryAfterMs,
        reason: 'redis',
      });
    }
    if (answer.granted < waiters.length) {
      this.#rememberDenial(batch.key, cost, { allowed: false, limit: answer.limit, remaining: answer.remaining, resetAtMs: answer.resetAtMs, retryAfterMs: answer.retryAfterMs });
    }
  }

  /**
   * A reply that came after the fallback had decided the batch: Redis charged `granted` requests
   * that memory already answered, `allowedByFallback` of them allowed. Settle the difference, so
   * Redis holds what the client was given (each request charged once), and cap the fallback
   * bucket at what Redis then holds.
   */
  #settleLate(batch: Batch, answer: BatchDecision): void {
    const store = this.#store;
    const allowed = batch.waiters.filter((waiter) => waiter.allowedByFallback === true).length;
    const tokens = (allowed - answer.granted) * batch.cost;
    const bucket = this.#buckets[batch.tier];
    this.#memory.setTokens(batch.key, this.#fallbackBuckets[batch.tier], Math.max(0, answer.remaining - tokens) * this.#share, 'cap');
    if (tokens !== 0 && store !== undefined) {
      store.settle(batch.key, bucket, tokens, this.#now(), AbortSignal.timeout(this.#lateReplyMs)).catch((error: unknown) => {
        log.debug('rate limiter: settling a late call failed', { error: error instanceof Error ? error : new Error(String(error)) });
      });
    }
  }

  #onCallFailed(batch: Batch, error: unknown): void {
    if (batch.state === 'expired') return; // already decided; an abort after `lateReplyMs` lands here
    batch.state = 'expired';
    this.#cold = false;
    clearTimeout(batch.timer);
    this.#recordFailure(error);
    for (const waiter of batch.waiters) this.#fallbackFor(batch, waiter);
  }

  #fallbackFor(batch: Batch, waiter: Waiter): void {
    if (waiter.answeredBy !== undefined) return;
    const decision = this.#fallback(batch.key, batch.tier, batch.cost);
    waiter.answeredBy = 'fallback';
    waiter.allowedByFallback = decision.allowed;
    waiter.resolve(decision);
  }

  #fallback(key: string, tier: LimitedTier, cost: number): Decision {
    rateLimitFallbacks.inc();
    this.#fallbacksSinceWarning += 1;
    const answer = this.#memory.takeSync(key, this.#fallbackBuckets[tier], cost);
    // The tier's limit, as every response states it; what is left is this container's share.
    return decide({ ...answer, limit: this.#buckets[tier].capacity }, 'fallback');
  }

  #recordFailure(error: unknown): void {
    const now = this.#now();
    if (!this.#degraded) this.#degradedSince = now;
    this.#degraded = true;
    this.#lastError = describe(error);
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

/** A Node error code (`ECONNREFUSED`, …) of an error or its cause, if any. */
function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; depth < 3 && current instanceof Error; depth += 1, current = current.cause) {
    const { code } = current as Error & { code?: unknown };
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** An error's message, with its cause's (fetch says only "fetch failed"; the cause says why). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  return cause instanceof Error && cause.message !== '' ? `${error.message}: ${cause.message}` : error.message;
}
