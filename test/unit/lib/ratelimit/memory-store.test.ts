import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryStore, RETRY_NEVER_MS } from '../../../../lib/ratelimit/memory-store.js';
import type { BucketSpec } from '../../../../lib/ratelimit/types.js';
import { manualClock } from '../../../support/manual-clock.js';

/** The anonymous tier: 100 a minute, so one token every 600 ms. */
const PER_MINUTE_100: BucketSpec = { capacity: 100, refillPerSecond: 100 / 60 };

/** Takes `count` times at cost 1 and returns how many were allowed. */
function drain(store: MemoryStore, key: string, bucket: BucketSpec, count: number): number {
  let allowed = 0;
  for (let i = 0; i < count; i++) if (store.takeSync(key, bucket, 1).allowed) allowed++;
  return allowed;
}

describe('MemoryStore', () => {
  it('starts a bucket full and reports what is left, when it is full again and no retry', () => {
    // Prepare
    const clock = manualClock();
    const store = new MemoryStore({ now: clock.now });

    // Act
    const decision = store.takeSync('k', PER_MINUTE_100, 1);

    // Assess
    expect(decision).toEqual({ allowed: true, limit: 100, remaining: 99, resetAtMs: clock.now() + 600, retryAfterMs: 0 });
  });

  it('refills continuously at capacity / 60 per second, up to the capacity', () => {
    // Prepare
    const clock = manualClock();
    const store = new MemoryStore({ now: clock.now });
    drain(store, 'k', PER_MINUTE_100, 100);

    // Act
    clock.advance(599);
    const before = store.takeSync('k', PER_MINUTE_100, 1);
    clock.advance(1);
    const oneBack = store.takeSync('k', PER_MINUTE_100, 1);
    clock.advance(30_000);
    const halfBack = store.takeSync('k', PER_MINUTE_100, 0);
    clock.advance(10 * 60_000);
    const full = store.takeSync('k', PER_MINUTE_100, 0);

    // Assess
    expect(before).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 1 });
    expect(oneBack).toMatchObject({ allowed: true, remaining: 0 });
    expect(halfBack).toMatchObject({ allowed: true, remaining: 50, resetAtMs: clock.now() - 10 * 60_000 + 30_000 });
    expect(full).toMatchObject({ allowed: true, remaining: 100, resetAtMs: clock.now() });
  });

  it('allows 33 requests of cost 3 from a bucket of 100 and leaves 1 token', () => {
    // Prepare
    const store = new MemoryStore({ now: manualClock().now });
    let allowed = 0;

    // Act
    let last = store.takeSync('k', PER_MINUTE_100, 3);
    while (last.allowed) {
      allowed++;
      last = store.takeSync('k', PER_MINUTE_100, 3);
    }

    // Assess
    expect(allowed).toBe(33);
    expect(last).toMatchObject({ allowed: false, remaining: 1, retryAfterMs: 1_200 });
  });

  it('never overdraws: a cost above what is left is refused and takes nothing', () => {
    // Prepare
    const clock = manualClock();
    const store = new MemoryStore({ now: clock.now });
    store.takeSync('k', PER_MINUTE_100, 95);

    // Act
    const refused = store.takeSync('k', PER_MINUTE_100, 7);
    const exact = store.takeSync('k', PER_MINUTE_100, 5);
    const empty = store.takeSync('k', PER_MINUTE_100, 1);

    // Assess
    expect(refused).toEqual({ allowed: false, limit: 100, remaining: 5, resetAtMs: clock.now() + 57_000, retryAfterMs: 1_200 });
    expect(exact).toMatchObject({ allowed: true, remaining: 0, resetAtMs: clock.now() + 60_000 });
    expect(empty).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 600 });
  });

  it('allows a refused request exactly when its retryAfterMs has passed', () => {
    // Prepare
    const clock = manualClock();
    const store = new MemoryStore({ now: clock.now });
    const bucket: BucketSpec = { capacity: 7, refillPerSecond: 7 / 60 };
    store.takeSync('k', bucket, 7);
    const refused = store.takeSync('k', bucket, 3);

    // Act
    clock.advance(refused.retryAfterMs - 1);
    const early = store.takeSync('k', bucket, 3);
    clock.advance(1);
    const onTime = store.takeSync('k', bucket, 3);

    // Assess
    expect(refused.retryAfterMs).toBe(Math.ceil((3 * 1000 * 60) / 7));
    expect(early.allowed).toBe(false);
    expect(onTime.allowed).toBe(true);
  });

  it('refuses a cost above the capacity for good, with RETRY_NEVER_MS, taking nothing', () => {
    // Prepare
    const clock = manualClock();
    const store = new MemoryStore({ now: clock.now });

    // Act
    const decision = store.takeSync('k', PER_MINUTE_100, 101);

    // Assess
    expect(RETRY_NEVER_MS).toBe(Number.MAX_SAFE_INTEGER);
    expect(decision).toEqual({ allowed: false, limit: 100, remaining: 100, resetAtMs: clock.now(), retryAfterMs: RETRY_NEVER_MS });
    expect(store.size).toBe(0);
  });

  it('keeps no bucket that is full', () => {
    // Prepare
    const clock = manualClock();
    const store = new MemoryStore({ now: clock.now });

    // Act
    store.takeSync('peek', PER_MINUTE_100, 0);
    store.takeSync('used', PER_MINUTE_100, 1);
    const afterUse = store.size;
    clock.advance(600);
    store.takeSync('used', PER_MINUTE_100, 0);

    // Assess
    expect(afterUse).toBe(1);
    expect(store.size).toBe(0);
  });

  it('evicts the least recently used bucket when at maxBuckets and none is full', () => {
    // Prepare
    const store = new MemoryStore({ maxBuckets: 3, now: manualClock().now });
    for (const key of ['a', 'b', 'c']) store.takeSync(key, PER_MINUTE_100, 10);
    store.takeSync('a', PER_MINUTE_100, 10);

    // Act
    store.takeSync('d', PER_MINUTE_100, 10);

    // Assess
    expect(store.size).toBe(3);
    expect(store.takeSync('a', PER_MINUTE_100, 0).remaining).toBe(80);
    expect(store.takeSync('c', PER_MINUTE_100, 0).remaining).toBe(90);
    // b was forgotten, so it starts full again.
    expect(store.takeSync('b', PER_MINUTE_100, 0).remaining).toBe(100);
  });

  it('keeps evicting in least-recently-used order across many evictions', () => {
    // Prepare
    const store = new MemoryStore({ maxBuckets: 3, now: manualClock().now });
    for (const key of ['a', 'b', 'c', 'd']) store.takeSync(key, PER_MINUTE_100, 10); // a goes
    store.takeSync('b', PER_MINUTE_100, 10);

    // Act
    store.takeSync('e', PER_MINUTE_100, 10); // c goes: b was used after it
    store.takeSync('f', PER_MINUTE_100, 10); // d goes

    // Assess
    expect(store.size).toBe(3);
    expect(store.takeSync('b', PER_MINUTE_100, 0).remaining).toBe(80);
    expect(store.takeSync('e', PER_MINUTE_100, 0).remaining).toBe(90);
    expect(store.takeSync('f', PER_MINUTE_100, 0).remaining).toBe(90);
    expect(store.takeSync('c', PER_MINUTE_100, 0).remaining).toBe(100);
  });

  it('drops buckets that have refilled before evicting a live one', () => {
    // Prepare
    const clock = manualClock();
    const store = new MemoryStore({ maxBuckets: 3, now: clock.now });
    store.takeSync('drained', PER_MINUTE_100, 50); // full again in 30 s, least recently used
    store.takeSync('idle', PER_MINUTE_100, 1); // full again in 600 ms
    store.takeSync('busy', PER_MINUTE_100, 50);
    clock.advance(1_000);

    // Act
    store.takeSync('new', PER_MINUTE_100, 1);

    // Assess
    expect(store.size).toBe(3);
    expect(store.takeSync('drained', PER_MINUTE_100, 0).remaining).toBe(51);
    expect(store.takeSync('busy', PER_MINUTE_100, 0).remaining).toBe(51);
  });

  it('stays within maxBuckets under many distinct keys', () => {
    // Prepare
    const clock = manualClock();
    const store = new MemoryStore({ maxBuckets: 100, now: clock.now });

    // Act
    for (let i = 0; i < 5_000; i++) {
      store.takeSync(`ip-${String(i)}`, PER_MINUTE_100, 1);
      clock.advance(1);
    }

    // Assess
    expect(store.size).toBeLessThanOrEqual(100);
  });

  it('refills nothing when the clock steps back', () => {
    // Prepare
    const clock = manualClock();
    const store = new MemoryStore({ now: clock.now });
    drain(store, 'k', PER_MINUTE_100, 100);

    // Act
    clock.advance(-60_000);
    const stepBack = store.takeSync('k', PER_MINUTE_100, 1);
    clock.advance(60_000 + 600);
    const later = store.takeSync('k', PER_MINUTE_100, 1);

    // Assess
    expect(stepBack.allowed).toBe(false);
    expect(later.allowed).toBe(true);
  });

  it('answers take() as a promise with the same decision, and rejects a bad cost', async () => {
    // Prepare
    const store = new MemoryStore({ now: manualClock().now });

    // Act
    const decision = await store.take('k', PER_MINUTE_100, 1);
    const negative = store.take('k', PER_MINUTE_100, -1);

    // Assess
    expect(decision).toMatchObject({ allowed: true, remaining: 99 });
    await expect(negative).rejects.toThrow(RangeError);
  });

  it.each([
    ['a NaN cost', PER_MINUTE_100, Number.NaN],
    ['an infinite cost', PER_MINUTE_100, Infinity],
    ['a zero capacity', { capacity: 0, refillPerSecond: 1 }, 1],
    ['a zero refill', { capacity: 10, refillPerSecond: 0 }, 1],
  ])('throws RangeError for %s', (_name, bucket, cost) => {
    // Prepare
    const store = new MemoryStore();

    // Act
    const take = (): unknown => store.takeSync('k', bucket, cost);

    // Assess
    expect(take).toThrow(RangeError);
  });

  it.each([0, -1, 1.5])('refuses maxBuckets %s', (maxBuckets) => {
    expect(() => new MemoryStore({ maxBuckets })).toThrow(RangeError);
  });

  it('never grants more than the capacity plus what refilled, whatever the costs and timing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000 }),
        fc.array(fc.record({ waitMs: fc.integer({ min: 0, max: 2_000 }), cost: fc.integer({ min: 0, max: 50 }) }), {
          maxLength: 200,
        }),
        (capacity, steps) => {
          // Prepare
          const clock = manualClock();
          const store = new MemoryStore({ now: clock.now });
          const bucket: BucketSpec = { capacity, refillPerSecond: capacity / 60 };
          let granted = 0;
          let elapsed = 0;

          // Act / Assess
          for (const { waitMs, cost } of steps) {
            clock.advance(waitMs);
            elapsed += waitMs;
            const decision = store.takeSync('k', bucket, cost);
            if (decision.allowed) granted += cost;
            expect(granted).toBeLessThanOrEqual(capacity + (elapsed * bucket.refillPerSecond) / 1000 + 1e-6);
            expect(decision.remaining).toBeGreaterThanOrEqual(0);
            expect(decision.remaining).toBeLessThanOrEqual(capacity);
            if (!decision.allowed && cost <= capacity) {
              expect(decision.remaining).toBeLessThan(cost);
              expect(decision.retryAfterMs).toBeGreaterThan(0);
            }
          }
        },
      ),
    );
  });
});
