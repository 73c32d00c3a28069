// The Redis token store against the real Redis, through the upstash-bridge: the same store runs
// through our @upstash/redis set-up (lib/redis/client.ts) and through the library's defaults. The
// script reads no clock (Upstash's rule): every call carries the caller's, so the expectations
// about time are exact. Keys live under a random prefix and are deleted afterwards; the script
// cache is never flushed (other suites share it), so NOSCRIPT is provoked by asking for a SHA1
// that was never loaded.
import { createHash, randomUUID } from 'node:crypto';
import { Redis as UpstashRedis } from '@upstash/redis';
import { Redis as IORedis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstashBridge, type UpstashBridge } from '../../../../infra/local/upstash-bridge.js';
import { withSupportedShebang } from '../../../../infra/local/upstash-protocol.js';
import { bucketKey } from '../../../../lib/ratelimit/bucket-key.js';
import { RETRY_NEVER_MS } from '../../../../lib/ratelimit/memory-store.js';
import { RedisStore } from '../../../../lib/ratelimit/redis-store.js';
import { TOKEN_BUCKET_SCRIPT, TOKEN_BUCKET_SHA1 } from '../../../../lib/ratelimit/token-bucket.lua.js';
import type { BucketSpec } from '../../../../lib/ratelimit/types.js';
import { connectRedis, createRedis, type ScriptRunner } from '../../../../lib/redis/client.js';
import { services } from '../../../support/services.js';
import { scanAll as scanKeys } from '../../../support/redis-scan.js';

const prefix = `test:redis-store:${randomUUID()}:`;
const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');
/** Refill so slow that a test lasting seconds regains a few millionths of a token: counts are exact. */
const NO_REFILL = 0.000001;
/** The anonymous tier: 100 a minute. */
const ANONYMOUS: BucketSpec = { capacity: 100, refillPerSecond: 100 / 60 };

let bridge: UpstashBridge;
let direct: IORedis;

const RUNNERS: { client: string; create: () => ScriptRunner }[] = [
  { client: 'our @upstash/redis set-up (loaded on first use)', create: () => createRedis({ url: bridge.url, token: bridge.token }) },
  { client: '@upstash/redis with its defaults', create: () => new UpstashRedis({ url: bridge.url, token: bridge.token }) },
];

/** A fresh bucket key for one test, under the suite's prefix. */
function freshKey(): string {
  return bucketKey(randomUUID(), 'anonymous', prefix);
}

function newStore(runner: ScriptRunner = RUNNERS[0]!.create(), now?: () => number): RedisStore {
  return new RedisStore(now === undefined ? { runner } : { runner, now });
}

beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: services.redisUrl, token: randomUUID() });
  direct = new IORedis(services.redisUrl);
  // Cached up front, so the suites below see one round trip per decision.
  await (await connectRedis({ url: bridge.url, token: bridge.token })).scriptLoad(TOKEN_BUCKET_SCRIPT);
});

afterAll(async () => {
  const keys = await scanAll(`${prefix}*`);
  if (keys.length > 0) await direct.del(...keys);
  direct.disconnect();
  await bridge.close();
});

describe('the token-bucket script', () => {
  it('has its SHA1 pinned', () => {
    expect(TOKEN_BUCKET_SHA1).toBe(sha1(TOKEN_BUCKET_SCRIPT));
  });

  it('gets the pinned SHA1 back from SCRIPT LOAD', async () => {
    const redis = await connectRedis({ url: bridge.url, token: bridge.token });
    expect(await redis.scriptLoad(TOKEN_BUCKET_SCRIPT)).toBe(TOKEN_BUCKET_SHA1);
    expect(await redis.scriptExists(TOKEN_BUCKET_SHA1)).toEqual([1]);
  });

  it('is loaded into the real Redis, which the bridge spares the Upstash-only flag', async () => {
    // Redis 7.0 refuses the allow-key-locking flag; Upstash honours it. The bridge loads the
    // script without it and answers to the pinned SHA1 (checked above).
    await expect(direct.script('LOAD', TOKEN_BUCKET_SCRIPT)).rejects.toThrow(/Unexpected flag in script shebang/);
    const asLoaded = withSupportedShebang(TOKEN_BUCKET_SCRIPT);
    expect(asLoaded).toBe(TOKEN_BUCKET_SCRIPT.replace('#!lua flags=allow-key-locking\n', '#!lua\n'));
    expect(await direct.script('LOAD', asLoaded)).toBe(sha1(asLoaded));
  });

  it('follows Upstash\'s rules: no clock or random source, every key from KEYS', () => {
    const code = TOKEN_BUCKET_SCRIPT.replace(/--.*$/gm, '');
    expect(code).not.toMatch(/\bTIME\b|math\.random|redis\.call\('TIME'/i);
    // Every redis.call names KEYS[1] through `key`, nothing built from a string.
    for (const call of code.match(/redis\.call\([^)]*\)/g) ?? []) expect(call).toMatch(/^redis\.call\('[A-Z]+', key[,)]/);
    expect(code).toMatch(/^local key = KEYS\[1\]/m);
  });
});

describe.each(RUNNERS)('the Redis store through $client', ({ create }) => {
  it('allows exactly the capacity of 1,000 concurrent takes from four containers', async () => {
    // Prepare: four stores with a client each, as four Lambda containers.
    const stores = Array.from({ length: 4 }, () => newStore(create()));
    const key = freshKey();
    const bucket = { capacity: 100, refillPerSecond: NO_REFILL };

    // Act
    const decisions = await Promise.all(Array.from({ length: 1000 }, (_, i) => stores[i % 4]!.take(key, bucket, 1)));

    // Assess
    const allowed = decisions.filter((d) => d.allowed);
    expect(allowed).toHaveLength(100);
    expect(new Set(allowed.map((d) => d.remaining))).toEqual(new Set(Array.from({ length: 100 }, (_, i) => i)));
    for (const denied of decisions.filter((d) => !d.allowed)) {
      expect(denied).toMatchObject({ limit: 100, remaining: 0 });
      expect(denied.retryAfterMs).toBeGreaterThan(0);
    }
    expect(stores.reduce((sum, store) => sum + store.roundTrips, 0)).toBe(1000);
  });

  it('allows exactly the capacity of 1,000 concurrent takes from four containers whose clocks differ by ±2 s', async () => {
    const offsets = [-2000, -700, 700, 2000];
    const stores = offsets.map((offset) => newStore(create(), () => Date.now() + offset));
    const key = freshKey();
    const bucket = { capacity: 100, refillPerSecond: NO_REFILL };

    const decisions = await Promise.all(Array.from({ length: 1000 }, (_, i) => stores[i % 4]!.take(key, bucket, 1)));

    expect(decisions.filter((d) => d.allowed)).toHaveLength(100);
  });

  it('holds the documented bound at the real refill rate with clocks ±2 s apart: capacity + rate × 4 s, once', async () => {
    // Prepare: the anonymous tier (1.67 tokens/s). The store time only moves forward, so the
    // clock 4 s ahead of the slowest can pull at most 4 s of refill forward, once (≈ 6.7 tokens).
    const offsets = [-2000, -700, 700, 2000];
    const stores = offsets.map((offset) => newStore(create(), () => Date.now() + offset));
    const key = freshKey();
    const started = performance.now();

    // Act: a concurrent burst, then 200 takes alternating between the slowest and fastest clock.
    // Without the guard each switch back to the fast clock would credit 4 s again (~6.7 tokens).
    const burst = await Promise.all(Array.from({ length: 1000 }, (_, i) => stores[i % 4]!.take(key, ANONYMOUS, 1)));
    const alternating = [];
    for (let i = 0; i < 200; i += 1) alternating.push(await stores[i % 2 === 0 ? 0 : 3]!.take(key, ANONYMOUS, 1));

    // Assess: over the test's few seconds of real time, at most capacity + rate × (T + 4 s).
    const granted = [...burst, ...alternating].filter((d) => d.allowed).length;
    expect(granted).toBeGreaterThanOrEqual(100);
    expect(granted).toBeLessThanOrEqual(100 + Math.floor((100 / 60) * (4 + (performance.now() - started) / 1000)));
  });

  it('allows exactly 33 concurrent takes of cost 3 from a bucket of 100, leaving 1', async () => {
    const stores = Array.from({ length: 4 }, () => newStore(create()));
    const key = freshKey();
    const bucket = { capacity: 100, refillPerSecond: NO_REFILL };

    const decisions = await Promise.all(Array.from({ length: 200 }, (_, i) => stores[i % 4]!.take(key, bucket, 3)));

    expect(decisions.filter((d) => d.allowed)).toHaveLength(33);
    expect(Math.min(...decisions.map((d) => d.remaining))).toBe(1);
    const after = await stores[0]!.take(key, bucket, 1);
    expect(after).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('grants batches from four containers: exactly the capacity in all, one call each', async () => {
    const stores = Array.from({ length: 4 }, () => newStore(create()));
    const key = freshKey();
    const bucket = { capacity: 100, refillPerSecond: NO_REFILL };

    const batches = await Promise.all(stores.map((store) => store.takeBatch(key, bucket, 1, 250, Date.now())));

    expect(batches.reduce((sum, batch) => sum + batch.granted, 0)).toBe(100);
    for (const batch of batches) {
      expect(batch.remaining).toBeLessThanOrEqual(100 - batch.granted);
      if (batch.granted < 250) expect(batch.retryAfterMs).toBeGreaterThan(0);
    }
    expect(stores.map((store) => store.roundTrips)).toEqual([1, 1, 1, 1]);
  });

  it('falls back to EVAL on NOSCRIPT once, then goes back to EVALSHA', async () => {
    // Prepare: the first EVALSHA asks for a SHA1 Redis has never seen, so Redis answers NOSCRIPT.
    const runner = create();
    const calls: string[] = [];
    let unknownShaOnce = true;
    const spy: ScriptRunner = {
      evalsha: (sha, keys, args) => {
        calls.push('evalsha');
        const asked = unknownShaOnce ? sha1(`never loaded ${randomUUID()}`) : sha;
        unknownShaOnce = false;
        return runner.evalsha(asked, keys, args);
      },
      eval: (script, keys, args) => {
        calls.push('eval');
        return runner.eval(script, keys, args);
      },
    };
    const store = newStore(spy);
    const key = freshKey();

    // Act
    const first = await store.take(key, ANONYMOUS, 1);
    const tripsAfterFirst = store.roundTrips;
    const second = await store.take(key, ANONYMOUS, 1);

    // Assess
    expect(calls).toEqual(['evalsha', 'eval', 'evalsha']);
    expect(tripsAfterFirst).toBe(2);
    expect(store.roundTrips).toBe(3);
    expect(first).toMatchObject({ allowed: true, remaining: 99 });
    expect(second).toMatchObject({ allowed: true, remaining: 98 });
  });

  it('passes any other Redis error through without trying EVAL', async () => {
    const key = freshKey();
    await direct.set(key, 'not a hash');
    const store = newStore(create());

    await expect(store.take(key, ANONYMOUS, 1)).rejects.toThrow(/WRONGTYPE/);
    expect(store.roundTrips).toBe(1);
  });
});

describe('the Redis store', () => {
  it('refills continuously at the rate, by the caller\'s clock', async () => {
    // Prepare: drain a bucket of 60 that regains 20 tokens a second, at t0.
    const store = newStore();
    const key = freshKey();
    const bucket = { capacity: 60, refillPerSecond: 20 };
    const t0 = Date.now();
    expect(await store.take(key, bucket, 60, undefined, t0)).toMatchObject({ allowed: true, remaining: 0, resetAtMs: t0 + 3000 });

    // Act: 1.5 s later by the caller's clock (no real wait: the script reads no clock).
    const later = await store.take(key, bucket, 1, undefined, t0 + 1500);

    // Assess: 30 tokens back, one taken; full again when the 31 missing are back, 50 ms each.
    expect(later).toMatchObject({ allowed: true, remaining: 29, resetAtMs: t0 + 1500 + 31 * 50, retryAfterMs: 0 });
  });

  it('moves its stored time only forward: a clock behind refills nothing and cannot mint tokens', async () => {
    const store = newStore();
    const key = freshKey();
    const bucket = { capacity: 10, refillPerSecond: 1 };
    const t0 = Date.now();
    await store.take(key, bucket, 10, undefined, t0 + 5000); // a container 5 s ahead drains it

    // A container on time (5 s behind the stored time) gets nothing back, now or a second later.
    expect(await store.take(key, bucket, 1, undefined, t0)).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 1000 });
    expect(await store.take(key, bucket, 1, undefined, t0 + 1000)).toMatchObject({ allowed: false, remaining: 0 });
    expect(Number(await direct.hget(key, 'ts'))).toBe(t0 + 5000);
    // Once real time passes the stored one, refill resumes from it.
    expect(await store.take(key, bucket, 1, undefined, t0 + 7000)).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('refuses an empty bucket with the time until one token is back, and when it is full again', async () => {
    const store = newStore();
    const key = freshKey();
    const t0 = Date.now();
    await store.take(key, ANONYMOUS, 100, undefined, t0);
    const refused = await store.take(key, ANONYMOUS, 1, undefined, t0 + 100);

    // One token comes back every 600 ms; 100 ms of it have passed. Full 60 s after the drain.
    expect(refused).toMatchObject({ allowed: false, limit: 100, remaining: 0, retryAfterMs: 500, resetAtMs: t0 + 60_000 });
  });

  it('refuses a cost above the tokens left without taking any', async () => {
    const store = newStore();
    const key = freshKey();
    const bucket = { capacity: 10, refillPerSecond: NO_REFILL };

    expect(await store.take(key, bucket, 7)).toMatchObject({ allowed: true, remaining: 3, retryAfterMs: 0 });
    const refused = await store.take(key, bucket, 5);
    expect(refused).toMatchObject({ allowed: false, remaining: 3 });
    // Two tokens missing at a millionth of a token per second: about two million seconds.
    expect(refused.retryAfterMs).toBeGreaterThan(1.9e9);
    expect(await store.take(key, bucket, 3)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('refuses a cost above the capacity for ever, without touching the bucket', async () => {
    const store = newStore();
    const key = freshKey();

    const refused = await store.take(key, ANONYMOUS, 101);

    expect(refused).toMatchObject({ allowed: false, limit: 100, remaining: 100 });
    expect(refused.retryAfterMs).toBe(RETRY_NEVER_MS);
    expect(await direct.exists(key)).toBe(0);
    expect(await store.take(key, ANONYMOUS, 100)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('lets the key expire when the bucket would be full again', async () => {
    const store = newStore();
    const oneTaken = freshKey();
    const drained = freshKey();

    await store.take(oneTaken, ANONYMOUS, 1);
    await store.take(drained, ANONYMOUS, 100);

    // One token back takes 600 ms; a hundred take 60 s.
    const oneTakenTtl = await direct.pttl(oneTaken);
    expect(oneTakenTtl).toBeGreaterThan(0);
    expect(oneTakenTtl).toBeLessThanOrEqual(600);
    const drainedTtl = await direct.pttl(drained);
    expect(drainedTtl).toBeGreaterThan(59_000);
    expect(drainedTtl).toBeLessThanOrEqual(60_000);
  });

  it('keeps the state as a hash of fractional tokens and the caller\'s time in ms', async () => {
    const store = newStore();
    const key = freshKey();
    const t0 = Date.now();
    await store.take(key, { capacity: 10, refillPerSecond: 3 }, 2.5, undefined, t0);

    const [tokens, ts] = await direct.hmget(key, 'tokens', 'ts');
    expect(Number(tokens)).toBe(7.5);
    expect(Number(ts)).toBe(t0);
  });

  it('settles a late call: gives tokens back up to the capacity, or charges them as a debt the refill repays', async () => {
    const store = newStore();
    const key = freshKey();
    const bucket = { capacity: 10, refillPerSecond: 1 };
    const t0 = Date.now();
    await store.takeBatch(key, bucket, 1, 8, t0);

    await store.settle(key, bucket, -5, t0); // 2 + 5
    expect(await store.take(key, bucket, 0, undefined, t0)).toMatchObject({ remaining: 7 });
    await store.settle(key, bucket, 10, t0); // 7 - 10: 3 owed
    expect(Number(await direct.hget(key, 'tokens'))).toBe(-3);
    expect(await store.take(key, bucket, 1, undefined, t0)).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 4000 });
    expect(await store.take(key, bucket, 1, undefined, t0 + 4000)).toMatchObject({ allowed: true, remaining: 0 });
    await store.settle(key, bucket, -50, t0 + 4000);
    expect(await direct.exists(key)).toBe(0); // full again: no key
  });

  it('leaves no key for a full bucket', async () => {
    const store = newStore();
    const untouched = freshKey();
    const refilled = freshKey();
    const t0 = Date.now();
    // A bucket stored half a token short ten seconds ago has refilled since.
    await direct.hset(refilled, { tokens: 99.5, ts: t0 - 10_000 });

    const peek = await store.take(untouched, ANONYMOUS, 0, undefined, t0);
    const refilledPeek = await store.take(refilled, ANONYMOUS, 0, undefined, t0);

    expect(peek).toMatchObject({ allowed: true, remaining: 100, retryAfterMs: 0 });
    expect(refilledPeek).toMatchObject({ allowed: true, remaining: 100 });
    expect(await direct.exists(untouched, refilled)).toBe(0);
  });

  it('has the key vanish by itself once the bucket has refilled', async () => {
    const store = newStore();
    const key = freshKey();

    await store.take(key, { capacity: 5, refillPerSecond: 1000 }, 1); // back in 1 ms
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(await direct.exists(key)).toBe(0);
  });

  it('stores only SHA-256 hashes of identifiers in Redis keys', async () => {
    const own = `${prefix}hashing:`;
    const store = newStore();
    const ip = '203.0.113.7';
    const keyId = `key_${randomUUID()}`;

    await store.take(bucketKey(ip, 'anonymous', own), ANONYMOUS, 1);
    await store.take(bucketKey(keyId, 'api_key', own), ANONYMOUS, 1);

    const keys = await scanAll(`${own}*`);
    const hash = (id: string): string => createHash('sha256').update(id).digest('hex');
    expect(keys.sort()).toEqual([`${own}rate_limit:${hash(ip)}:anonymous`, `${own}rate_limit:${hash(keyId)}:api_key`].sort());
    for (const key of keys) {
      expect(key).not.toContain(ip);
      expect(key).not.toContain(keyId);
    }
  });

  it('rejects with the abort reason once the time budget is spent', async () => {
    const store = newStore();
    const key = freshKey();
    const reason = new Error('budget spent');

    await expect(store.take(key, ANONYMOUS, 1, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(await direct.exists(key)).toBe(0);
  });

  it('refuses a bucket or cost it cannot decide on, without calling Redis', async () => {
    const store = newStore();
    const key = freshKey();

    await expect(store.take(key, { capacity: 0, refillPerSecond: 1 }, 1)).rejects.toThrow(RangeError);
    await expect(store.take(key, { capacity: 10, refillPerSecond: 0 }, 1)).rejects.toThrow(RangeError);
    await expect(store.take(key, { capacity: 10, refillPerSecond: Number.NaN }, 1)).rejects.toThrow(RangeError);
    await expect(store.take(key, ANONYMOUS, -1)).rejects.toThrow(RangeError);
    expect(() => store.takeBatch(key, ANONYMOUS, 1, 0, Date.now())).toThrow(RangeError);
    await expect(store.take(key, ANONYMOUS, Number.POSITIVE_INFINITY)).rejects.toThrow(RangeError);
    expect(store.roundTrips).toBe(0);
  });
});

const scanAll = (match: string): Promise<string[]> => scanKeys(direct, match);
