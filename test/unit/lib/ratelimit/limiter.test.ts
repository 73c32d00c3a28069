import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '../../../../lib/config.js';
import { resetLog } from '../../../../lib/log/index.js';
import { rateLimitDenials, rateLimitFallbacks, rateLimitRequests } from '../../../../lib/metrics/rate-limit-metrics.js';
import { bucketKey } from '../../../../lib/ratelimit/bucket-key.js';
import { RateLimiter, RateLimitStoreTimeoutError, type RateLimiterOptions } from '../../../../lib/ratelimit/limiter.js';
import { MemoryStore } from '../../../../lib/ratelimit/memory-store.js';
import type { BatchDecision, BucketSpec, StoreDecision, TokenStore } from '../../../../lib/ratelimit/types.js';
import { captureLogLines } from '../../../support/capture-log.js';
import { manualClock } from '../../../support/manual-clock.js';

const LIMITS = { anonymous: 100, api_key: 1000, premium: 5000 } as const;

/**
 * A stand-in for Redis through the narrow `TokenStore` interface: buckets in its own MemoryStore
 * (separate from the limiter's fallback memory), every call recorded, and a switch that makes it
 * fail (reject), throw synchronously, hang until aborted, or answer `slowMs` late (the script
 * having run at once, as a slow network does it).
 */
class FakeRedis implements TokenStore {
  mode: 'answer' | 'fail' | 'throw' | 'hang' | 'slow' = 'answer';
  slowMs = 100;
  readonly calls: { key: string; bucket: BucketSpec; cost: number; count: number; signal: AbortSignal | undefined }[] = [];
  readonly settlements: { key: string; tokens: number }[] = [];
  readonly #buckets: MemoryStore;

  constructor(now: () => number) {
    this.#buckets = new MemoryStore({ now });
  }

  /** Tokens the fake Redis holds for `key` (a cost-0 peek). */
  remaining(key: string, bucket: BucketSpec): number {
    return this.#buckets.takeSync(key, bucket, 0).remaining;
  }

  takeBatch(key: string, bucket: BucketSpec, cost: number, count: number, _nowMs: number, signal?: AbortSignal): Promise<BatchDecision> {
    this.calls.push({ key, bucket, cost, count, signal });
    const run = (): BatchDecision => {
      let granted = 0;
      let last: StoreDecision = this.#buckets.takeSync(key, bucket, 0);
      for (let i = 0; i < count; i += 1) {
        last = this.#buckets.takeSync(key, bucket, cost);
        if (!last.allowed) break;
        granted += 1;
      }
      return { granted, limit: last.limit, remaining: last.remaining, resetAtMs: last.resetAtMs, retryAfterMs: granted === count ? 0 : last.retryAfterMs };
    };
    switch (this.mode) {
      case 'answer':
        // A network round trip: answer on a later turn of the event loop.
        return new Promise((resolve) => setImmediate(() => resolve(run())));
      case 'slow': {
        const answer = run();
        return new Promise((resolve) => setTimeout(() => resolve(answer), this.slowMs));
      }
      case 'fail':
        return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
      case 'throw':
        throw new Error('client not configured');
      case 'hang':
        return new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(new Error('aborted by the limiter')), { once: true });
        });
    }
  }

  settle(key: string, bucket: BucketSpec, tokens: number): Promise<void> {
    this.settlements.push({ key, tokens });
    // Memory buckets hold no debt: a charge past empty stops at 0 here (the script keeps it).
    this.#buckets.setTokens(key, bucket, this.remaining(key, bucket) - tokens, 'set');
    return Promise.resolve();
  }
}

const captureWarnings = (): (() => Record<string, unknown>[]) => captureLogLines('WARN');

async function counterValue(counter: { get(): Promise<{ values: { value: number; labels: object }[] }> }, labels: object = {}): Promise<number> {
  const { values } = await counter.get();
  return values.find((entry) => JSON.stringify(entry.labels) === JSON.stringify(labels))?.value ?? 0;
}


function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

describe('RateLimiter', () => {
  let clock: ReturnType<typeof manualClock>;
  let redis: FakeRedis;
  let warnings: () => Record<string, unknown>[];

  function limiter(options: Partial<RateLimiterOptions> = {}): RateLimiter {
    // A share of 1: the fallback's own arithmetic is tested with the whole bucket; the share below.
    // A budget a loaded test machine does not miss; the tests about the budget set their own.
    return new RateLimiter({ store: redis, limits: LIMITS, timeoutMs: 1_000, now: clock.now, fallbackShare: 1, ...options });
  }

  beforeEach(() => {
    resetConfig();
    resetLog();
    clock = manualClock();
    redis = new FakeRedis(clock.now);
    warnings = captureWarnings();
  });

  afterEach(() => {
    vi.restoreAllMocks();
    resetLog();
  });

  it('lets admin through as unlimited without calling the store', async () => {
    // Prepare
    const rateLimiter = limiter();
    const before = await counterValue(rateLimitRequests, { tier: 'admin', result: 'allowed' });

    // Act
    const decision = await rateLimiter.check('admin-key-id', 'admin', 1_000_000);

    // Assess
    expect(decision).toEqual({ allowed: true, limit: Infinity, remaining: Infinity, resetAtMs: clock.now(), retryAfterMs: 0, reason: 'unlimited' });
    expect(redis.calls).toHaveLength(0);
    expect(await counterValue(rateLimitRequests, { tier: 'admin', result: 'allowed' })).toBe(before + 1);
  });

  it('asks the store with the hashed key and the tier bucket, and labels the answer redis', async () => {
    // Prepare
    const rateLimiter = limiter({ keyPrefix: 'test-1:' });
    const sha = createHash('sha256').update('203.0.113.7').digest('hex');

    // Act
    const decision = await rateLimiter.check('203.0.113.7', 'anonymous');

    // Assess
    expect(decision).toMatchObject({ allowed: true, limit: 100, remaining: 99, retryAfterMs: 0, reason: 'redis' });
    expect(redis.calls).toHaveLength(1);
    expect(redis.calls[0]).toMatchObject({ key: `test-1:rate_limit:${sha}:anonymous`, bucket: { capacity: 100, refillPerSecond: 100 / 60 }, cost: 1, count: 1 });
    expect(redis.calls[0]?.key).toBe(bucketKey('203.0.113.7', 'anonymous', 'test-1:'));
    expect(rateLimiter.status()).toEqual({ backend: 'redis', degraded: false });
  });

  it('decides from memory with reason memory when no store is configured', async () => {
    // Prepare
    const rateLimiter = new RateLimiter({ limits: LIMITS, timeoutMs: 50, now: clock.now });

    // Act
    const first = await rateLimiter.check('key-1', 'premium', 10);

    // Assess
    expect(first).toMatchObject({ allowed: true, limit: 5000, remaining: 4990, reason: 'memory' });
    expect(rateLimiter.status()).toEqual({ backend: 'memory', degraded: false });
  });

  it('counts requests and denials by tier', async () => {
    // Prepare
    const rateLimiter = new RateLimiter({ limits: { ...LIMITS, api_key: 2 }, timeoutMs: 50, now: clock.now });
    const allowedBefore = await counterValue(rateLimitRequests, { tier: 'api_key', result: 'allowed' });
    const deniedBefore = await counterValue(rateLimitRequests, { tier: 'api_key', result: 'denied' });
    const denialsBefore = await counterValue(rateLimitDenials, { tier: 'api_key' });

    // Act
    for (let i = 0; i < 5; i++) await rateLimiter.check('key-1', 'api_key');

    // Assess
    expect(await counterValue(rateLimitRequests, { tier: 'api_key', result: 'allowed' })).toBe(allowedBefore + 2);
    expect(await counterValue(rateLimitRequests, { tier: 'api_key', result: 'denied' })).toBe(deniedBefore + 3);
    expect(await counterValue(rateLimitDenials, { tier: 'api_key' })).toBe(denialsBefore + 3);
  });

  it('answers a blocked client from memory until its retry time, then asks the store again', async () => {
    // Prepare
    const rateLimiter = limiter();
    for (let i = 0; i < 100; i++) await rateLimiter.check('203.0.113.7', 'anonymous');
    const denied = await rateLimiter.check('203.0.113.7', 'anonymous');
    const callsAtDenial = redis.calls.length;

    // Act
    const cached: unknown[] = [];
    for (let i = 0; i < 50; i++) cached.push(await rateLimiter.check('203.0.113.7', 'anonymous'));
    clock.advance(denied.retryAfterMs - 1);
    const stillCached = await rateLimiter.check('203.0.113.7', 'anonymous');
    const callsBeforeRetry = redis.calls.length;
    clock.advance(1);
    const retried = await rateLimiter.check('203.0.113.7', 'anonymous');

    // Assess
    expect(denied).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 600, reason: 'redis' });
    expect(callsAtDenial).toBe(101);
    expect(cached).toHaveLength(50);
    expect(cached[0]).toEqual({ allowed: false, limit: 100, remaining: 0, resetAtMs: denied.resetAtMs, retryAfterMs: 600, reason: 'cached_denial' });
    expect(stillCached).toMatchObject({ allowed: false, retryAfterMs: 1, reason: 'cached_denial' });
    expect(callsBeforeRetry).toBe(101);
    expect(retried).toMatchObject({ allowed: true, reason: 'redis' });
    expect(redis.calls).toHaveLength(102);
  });

  it('asks the store for a request cheaper than the cached denial', async () => {
    // Prepare
    const rateLimiter = limiter();
    await rateLimiter.check('key-1', 'anonymous', 95);
    const denied = await rateLimiter.check('key-1', 'anonymous', 10);

    // Act
    const sameCost = await rateLimiter.check('key-1', 'anonymous', 10);
    const cheaper = await rateLimiter.check('key-1', 'anonymous', 5);

    // Assess
    expect(denied).toMatchObject({ allowed: false, remaining: 5, reason: 'redis' });
    expect(sameCost.reason).toBe('cached_denial');
    expect(cheaper).toMatchObject({ allowed: true, remaining: 0, reason: 'redis' });
  });

  it('remembers at most maxCachedDenials denials, forgetting the oldest first', async () => {
    // Prepare
    const rateLimiter = limiter({ limits: { ...LIMITS, anonymous: 1 }, maxCachedDenials: 2 });
    for (const ip of ['ip-1', 'ip-2', 'ip-3']) {
      await rateLimiter.check(ip, 'anonymous');
      await rateLimiter.check(ip, 'anonymous'); // denied by the store, remembered
    }

    // Act
    const oldest = await rateLimiter.check('ip-1', 'anonymous');
    const newest = await rateLimiter.check('ip-3', 'anonymous');

    // Assess
    expect(oldest).toMatchObject({ allowed: false, reason: 'redis' });
    expect(newest).toMatchObject({ allowed: false, reason: 'cached_denial' });
  });

  it('keeps separate buckets per tier for one identifier', async () => {
    // Prepare
    const rateLimiter = limiter();
    await rateLimiter.check('key-1', 'api_key', 10);

    // Act
    const premium = await rateLimiter.check('key-1', 'premium', 1);

    // Assess
    expect(premium).toMatchObject({ allowed: true, limit: 5000, remaining: 4999 });
    expect(redis.calls.map((call) => call.key)).toEqual([bucketKey('key-1', 'api_key'), bucketKey('key-1', 'premium')]);
  });

  it('does not cache a denial that can never turn into an allow', async () => {
    // Prepare
    const rateLimiter = limiter();
    await rateLimiter.check('key-1', 'anonymous', 101);

    // Act
    const next = await rateLimiter.check('key-1', 'anonymous', 1);

    // Assess
    expect(next).toMatchObject({ allowed: true, reason: 'redis' });
  });

  it('falls back to memory when the store fails, counts it, warns and reports degraded', async () => {
    // Prepare
    redis.mode = 'fail';
    const rateLimiter = limiter();
    const fallbacksBefore = await counterValue(rateLimitFallbacks);

    // Act
    const decision = await rateLimiter.check('key-1', 'api_key', 3);

    // Assess
    expect(decision).toMatchObject({ allowed: true, limit: 1000, remaining: 997, reason: 'fallback' });
    expect(await counterValue(rateLimitFallbacks)).toBe(fallbacksBefore + 1);
    expect(warnings()).toEqual([
      expect.objectContaining({
        message: 'rate limiter deciding from memory: Redis failed',
        reason: 'redis_unavailable',
        timeoutMs: 1_000,
        error: expect.objectContaining({ message: 'connect ECONNREFUSED 127.0.0.1:6379' }) as unknown,
      }),
    ]);
    expect(rateLimiter.status()).toEqual({
      backend: 'redis',
      degraded: true,
      lastError: 'connect ECONNREFUSED 127.0.0.1:6379',
      lastFailureAt: clock.now(),
    });
  });

  it('falls back when the store throws instead of rejecting', async () => {
    // Prepare
    redis.mode = 'throw';
    const rateLimiter = limiter();

    // Act
    const decision = await rateLimiter.check('key-1', 'anonymous');

    // Assess
    expect(decision.reason).toBe('fallback');
    expect(rateLimiter.status().lastError).toBe('client not configured');
  });

  it('warns at most once per interval however many fallbacks', async () => {
    // Prepare
    redis.mode = 'fail';
    const rateLimiter = limiter({ redisRetryMs: 0, warnIntervalMs: 60_000 });
    const fallbacksBefore = await counterValue(rateLimitFallbacks);

    // Act
    for (let i = 0; i < 10; i++) {
      await rateLimiter.check('key-1', 'anonymous');
      clock.advance(1_000);
    }
    const withinInterval = warnings().length;
    clock.advance(50_000);
    await rateLimiter.check('key-1', 'anonymous');

    // Assess
    expect(redis.calls).toHaveLength(11);
    expect(await counterValue(rateLimitFallbacks)).toBe(fallbacksBefore + 11);
    expect(withinInterval).toBe(1);
    expect(warnings()).toHaveLength(2);
    expect(warnings()[1]).toMatchObject({ reason: 'redis_unavailable', fallbacks: 10 });
  });

  it('decides within the time budget when the store hangs, aborts the call after lateReplyMs and leaves no timer', async () => {
    // Prepare
    redis.mode = 'hang';
    const rateLimiter = limiter({ timeoutMs: 100, lateReplyMs: 60 });
    const timersBefore = activeTimers();
    const started = performance.now();

    // Act
    const decision = await rateLimiter.check('key-1', 'anonymous');
    const tookMs = performance.now() - started;
    const signal = redis.calls[0]?.signal;
    const abortedAtDecision = signal?.aborted;
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Assess
    expect(decision).toMatchObject({ allowed: true, remaining: 99, reason: 'fallback' });
    expect(tookMs).toBeGreaterThanOrEqual(95);
    expect(tookMs).toBeLessThan(600);
    // Kept to learn what it did in Redis, then given up.
    expect(abortedAtDecision).toBe(false);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(RateLimitStoreTimeoutError);
    expect(warnings()).toEqual([expect.objectContaining({ reason: 'redis_timeout' })]);
    expect(rateLimiter.status()).toMatchObject({ degraded: true, lastError: 'rate-limit store did not answer within 100 ms' });
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  });

  it('clears its timer when the store answers in time', async () => {
    // Prepare
    const rateLimiter = limiter({ timeoutMs: 5_000 });
    const timersBefore = activeTimers();

    // Act
    await rateLimiter.check('key-1', 'anonymous');

    // Assess
    expect(activeTimers()).toBe(timersBefore);
    expect(redis.calls[0]?.signal?.aborted).toBe(false);
  });

  it('skips the store for redisRetryMs after a failure, then goes back to it by itself', async () => {
    // Prepare
    redis.mode = 'fail';
    const rateLimiter = limiter({ redisRetryMs: 1_000 });
    await rateLimiter.check('key-1', 'anonymous');
    redis.mode = 'answer';

    // Act
    clock.advance(999);
    const paused = await rateLimiter.check('key-1', 'anonymous');
    const degradedDuringPause = rateLimiter.status().degraded;
    clock.advance(1);
    const recovered = await rateLimiter.check('key-1', 'anonymous');

    // Assess
    expect(paused.reason).toBe('fallback');
    expect(degradedDuringPause).toBe(true);
    expect(recovered.reason).toBe('redis');
    expect(redis.calls).toHaveLength(2);
    expect(rateLimiter.status()).toEqual({ backend: 'redis', degraded: false, lastError: 'connect ECONNREFUSED 127.0.0.1:6379', lastFailureAt: clock.now() - 1_000 });
  });

  it('tries the store on every call when redisRetryMs is 0', async () => {
    // Prepare
    redis.mode = 'fail';
    const rateLimiter = limiter({ redisRetryMs: 0 });
    await rateLimiter.check('key-1', 'anonymous');
    redis.mode = 'answer';

    // Act
    const decision = await rateLimiter.check('key-1', 'anonymous');

    // Assess
    expect(decision.reason).toBe('redis');
    expect(rateLimiter.status().degraded).toBe(false);
  });

  it('allows exactly the limit out of 1,000 concurrent checks', async () => {
    // Prepare
    const viaStore = limiter();
    const memoryOnly = new RateLimiter({ limits: LIMITS, timeoutMs: 50, now: clock.now });

    // Act
    const fromStore = await Promise.all(Array.from({ length: 1_000 }, () => viaStore.check('203.0.113.7', 'anonymous')));
    const fromMemory = await Promise.all(Array.from({ length: 1_000 }, () => memoryOnly.check('203.0.113.7', 'anonymous')));

    // Assess
    expect(fromStore.filter((decision) => decision.allowed)).toHaveLength(100);
    expect(fromStore.every((decision) => decision.reason === 'redis')).toBe(true);
    // Coalesced: one call for the whole burst.
    expect(redis.calls.map((call) => call.count)).toEqual([1_000]);
    expect(new Set(fromStore.filter((d) => d.allowed).map((d) => d.remaining)).size).toBe(100);
    expect(fromMemory.filter((decision) => decision.allowed)).toHaveLength(100);
    expect(fromMemory.filter((decision) => !decision.allowed).every((decision) => decision.reason === 'memory')).toBe(true);
  });

  it('rejects a cost that is not a finite number ≥ 0, and limits that are not positive', async () => {
    // Prepare
    const rateLimiter = limiter();

    // Act
    const negative = rateLimiter.check('key-1', 'anonymous', -1);
    const create = (): unknown => new RateLimiter({ limits: { ...LIMITS, premium: 0 }, timeoutMs: 50 });

    // Assess
    await expect(negative).rejects.toThrow(RangeError);
    expect(create).toThrow(RangeError);
    expect(redis.calls).toHaveLength(0);
  });

  it('takes its time budget from RATE_LIMIT_REDIS_TIMEOUT_MS by default', async () => {
    // Prepare
    // 200 ms: a timer that fires late on a loaded machine (by half the budget) would count as our own queue.
    vi.stubEnv('RATE_LIMIT_REDIS_TIMEOUT_MS', '200');
    resetConfig();
    redis.mode = 'hang';
    const rateLimiter = new RateLimiter({ store: redis, limits: LIMITS, now: clock.now, fallbackShare: 1 });

    // Act
    const decision = await rateLimiter.check('key-1', 'anonymous');

    // Assess
    expect(decision.reason).toBe('fallback');
    expect(rateLimiter.status().lastError).toBe('rate-limit store did not answer within 200 ms');
    vi.unstubAllEnvs();
    resetConfig();
  });

  it('coalesces the decisions that arrive while a call is in flight into the next call', async () => {
    redis.mode = 'slow';
    redis.slowMs = 20;
    const rateLimiter = limiter({ timeoutMs: 1_000 });

    const first = rateLimiter.check('key-1', 'anonymous');
    await new Promise((resolve) => setTimeout(resolve, 5)); // the first call is in flight
    const waiting = Array.from({ length: 30 }, () => rateLimiter.check('key-1', 'anonymous'));
    const decisions = await Promise.all([first, ...waiting]);

    expect(decisions.every((d) => d.allowed && d.reason === 'redis')).toBe(true);
    expect(redis.calls.map((call) => call.count)).toEqual([1, 30]);
    expect(decisions.map((d) => d.remaining).sort((x, y) => y - x)).toEqual(Array.from({ length: 31 }, (_, i) => 99 - i));
  });

  it('grants each container only its share of a bucket Redis never reported while the store fails', async () => {
    redis.mode = 'fail';
    const rateLimiter = limiter({ fallbackShare: 0.25 });

    const decisions = await Promise.all(Array.from({ length: 100 }, () => rateLimiter.check('key-1', 'anonymous')));

    expect(decisions.filter((d) => d.allowed)).toHaveLength(25);
    expect(decisions.every((d) => d.reason === 'fallback' && d.limit === 100)).toBe(true);
  });

  it('never starts the fallback fuller than what Redis last reported for the key (times the share)', async () => {
    const rateLimiter = limiter({ fallbackShare: 0.5 });
    await rateLimiter.check('key-1', 'anonymous', 80); // Redis: 20 left

    redis.mode = 'fail';
    const decisions = await Promise.all(Array.from({ length: 50 }, () => rateLimiter.check('key-1', 'anonymous')));

    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
  });

  it('does not count a budget missed because of its own event loop as a Redis failure', async () => {
    // Prepare: Redis answers on the next turn of the loop, but the loop is blocked past the budget.
    const rateLimiter = limiter({ timeoutMs: 20 });

    // Act
    const pending = rateLimiter.check('key-1', 'anonymous');
    await Promise.resolve(); // the call is sent (a microtask)
    await Promise.resolve();
    const until = performance.now() + 60;
    while (performance.now() < until) {
      // busy: our own queue, not Redis, eats the budget
    }
    const decision = await pending;

    // Assess
    expect(decision.reason).toBe('redis');
    expect(rateLimiter.status()).toEqual({ backend: 'redis', degraded: false });
    expect(warnings()).toEqual([]);
  });

  it('settles a call that answered after its budget: Redis gives back what the fallback refused', async () => {
    // Prepare: Redis takes the tokens at once but its answer arrives after the budget.
    redis.mode = 'slow';
    redis.slowMs = 60;
    const rateLimiter = limiter({ timeoutMs: 20, fallbackShare: 0.25 });
    const key = bucketKey('key-1', 'anonymous');
    const bucket = { capacity: 100, refillPerSecond: 100 / 60 };

    // Act: 40 concurrent checks, one call; the fallback grants 25 (its share), Redis granted 40.
    const decisions = await Promise.all(Array.from({ length: 40 }, () => rateLimiter.check('key-1', 'anonymous')));
    await new Promise((resolve) => setTimeout(resolve, 80));

    // Assess: the client was charged once: 25 in Redis, not 40 (and not 25 + 40).
    expect(decisions.filter((d) => d.allowed)).toHaveLength(25);
    expect(decisions.every((d) => d.reason === 'fallback')).toBe(true);
    expect(redis.settlements).toEqual([{ key, tokens: -15 }]);
    expect(redis.remaining(key, bucket)).toBe(75);
  });

  it('never sends a batch whose budget ran out while it waited behind a call in flight', async () => {
    redis.mode = 'hang';
    const rateLimiter = limiter({ timeoutMs: 20, redisRetryMs: 0, lateReplyMs: 1_000 });

    const first = rateLimiter.check('key-1', 'anonymous');
    await new Promise((resolve) => setTimeout(resolve, 1));
    const second = rateLimiter.check('key-1', 'anonymous');
    await Promise.all([first, second]);

    expect(redis.calls).toHaveLength(1);
  });

  it('settles a late call that Redis refused but the fallback admitted by charging Redis for them', async () => {
    // Prepare: Redis (shared) is already empty for this client; this container's fallback is not.
    const key = bucketKey('key-1', 'anonymous');
    const bucket = { capacity: 100, refillPerSecond: 100 / 60 };
    await redis.takeBatch(key, bucket, 100, 1, clock.now());
    redis.mode = 'slow';
    redis.slowMs = 60;
    const rateLimiter = limiter({ timeoutMs: 20, fallbackShare: 0.25 });

    // Act
    const decisions = await Promise.all(Array.from({ length: 40 }, () => rateLimiter.check('key-1', 'anonymous')));
    await new Promise((resolve) => setTimeout(resolve, 80));

    // Assess: 25 admitted by the fallback, 0 by Redis: Redis is charged the 25 (a debt in Redis).
    expect(decisions.filter((d) => d.allowed)).toHaveLength(25);
    expect(redis.settlements).toEqual([{ key, tokens: 25 }]);
  });
});
