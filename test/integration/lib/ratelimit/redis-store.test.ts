// The Redis token store against the real Redis, through the upstash-bridge: the same store runs
// through our Upstash REST client and through the real @upstash/redis client. Expectations about
// time are bounded by Redis TIME read just before and after each call, never by the test's clock.
// Keys live under a random prefix and are deleted afterwards; the script cache is never flushed
// (other suites share it), so NOSCRIPT is provoked by asking for a SHA1 that was never loaded.
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis as UpstashRedis } from '@upstash/redis';
import { Redis as IORedis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstashBridge, type UpstashBridge } from '../../../../infra/local/upstash-bridge.js';
import { withSupportedShebang } from '../../../../infra/local/upstash-protocol.js';
import { bucketKey } from '../../../../lib/ratelimit/bucket-key.js';
import { RETRY_NEVER_MS } from '../../../../lib/ratelimit/memory-store.js';
import { RedisStore } from '../../../../lib/ratelimit/redis-store.js';
import { TOKEN_BUCKET_SCRIPT, TOKEN_BUCKET_SHA1 } from '../../../../lib/ratelimit/token-bucket.lua.js';
import type { BucketSpec, StoreDecision } from '../../../../lib/ratelimit/types.js';
import { createUpstashRest, type ScriptRunner } from '../../../../lib/redis/upstash-rest.js';
import { services } from '../../../support/services.js';
import { upstashRedisRunner } from '../../../support/upstash-redis-runner.js';
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
  { client: 'our Upstash REST client', create: () => createUpstashRest({ url: bridge.url, token: bridge.token }) },
  {
    client: '@upstash/redis',
    create: () => upstashRedisRunner(new UpstashRedis({ url: bridge.url, token: bridge.token })),
  },
];

/** A fresh bucket key for one test, under the suite's prefix. */
function freshKey(): string {
  return bucketKey(randomUUID(), 'anonymous', prefix);
}

function newStore(runner: ScriptRunner = RUNNERS[0]!.create()): RedisStore {
  return new RedisStore({ runner });
}

/** Redis's clock, in microseconds (exact: below 2^53 until the year 2255). */
async function redisTimeUs(): Promise<number> {
  const [seconds, micros] = await direct.time();
  return Number(seconds) * 1_000_000 + Number(micros);
}

/** Runs `take` between two readings of Redis TIME, which bound the script's own clock. */
async function timedTake(
  store: RedisStore,
  key: string,
  bucket: BucketSpec,
  cost: number,
): Promise<{ decision: StoreDecision; beforeUs: number; afterUs: number }> {
  const beforeUs = await redisTimeUs();
  const decision = await store.take(key, bucket, cost);
  const afterUs = await redisTimeUs();
  return { decision, beforeUs, afterUs };
}

beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: services.redisUrl, token: randomUUID() });
  direct = new IORedis(services.redisUrl);
  // Cached up front, so the suites below see one round trip per decision.
  await createUpstashRest({ url: bridge.url, token: bridge.token }).scriptLoad(TOKEN_BUCKET_SCRIPT);
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

  it('gets the pinned SHA1 back from SCRIPT LOAD through both clients', async () => {
    const ours = createUpstashRest({ url: bridge.url, token: bridge.token });
    const theirs = new UpstashRedis({ url: bridge.url, token: bridge.token });
    expect(await ours.scriptLoad(TOKEN_BUCKET_SCRIPT)).toBe(TOKEN_BUCKET_SHA1);
    expect(await theirs.scriptLoad(TOKEN_BUCKET_SCRIPT)).toBe(TOKEN_BUCKET_SHA1);
    expect(await theirs.scriptExists(TOKEN_BUCKET_SHA1)).toEqual([1]);
  });

  it('is loaded into the real Redis, which the bridge spares the Upstash-only flag', async () => {
    // Redis 7.0 refuses the allow-key-locking flag; Upstash honours it. The bridge loads the
    // script without it and answers to the pinned SHA1 (checked above).
    await expect(direct.script('LOAD', TOKEN_BUCKET_SCRIPT)).rejects.toThrow(/Unexpected flag in script shebang/);
    const asLoaded = withSupportedShebang(TOKEN_BUCKET_SCRIPT);
    expect(asLoaded).toBe(TOKEN_BUCKET_SCRIPT.replace('#!lua flags=allow-key-locking\n', '#!lua\n'));
    expect(await direct.script('LOAD', asLoaded)).toBe(sha1(asLoaded));
  });
});

describe.each(RUNNERS)('the Redis store through $client', ({ create }) => {
  it('allows exactly the capacity of 1,000 concurrent takes from four containers', async () => {
    // Prepare: four stores with a client each, as four Lambda containers.
    const stores = Array.from({ length: 4 }, () => newStore(create()));
    const key = freshKey();
    const bucket = { capacity: 100, refillPerSecond: NO_REFILL };

    // Act
    const decisions = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => stores[i % 4]!.take(key, bucket, 1)),
    );

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

  it('falls back to EVAL on NOSCRIPT once, then goes back to EVALSHA', async () => {
    // Prepare: the first EVALSHA asks for a SHA1 Redis has never seen, so Redis answers NOSCRIPT.
    const runner = create();
    const calls: string[] = [];
    let unknownShaOnce = true;
    const spy: ScriptRunner = {
      evalsha: (sha, keys, args, signal) => {
        calls.push('evalsha');
        const asked = unknownShaOnce ? sha1(`never loaded ${randomUUID()}`) : sha;
        unknownShaOnce = false;
        return runner.evalsha(asked, keys, args, signal);
      },
      eval: (script, keys, args, signal) => {
        calls.push('eval');
        return runner.eval(script, keys, args, signal);
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
  it('refills continuously at the rate, by Redis TIME', async () => {
    // Prepare: drain a bucket of 60 that regains 20 tokens a second.
    const store = newStore();
    const key = freshKey();
    const bucket = { capacity: 60, refillPerSecond: 20 };
    const drained = await timedTake(store, key, bucket, 60);
    expect(drained.decision).toMatchObject({ allowed: true, remaining: 0 });

    // Act
    await sleep(1500);
    const later = await timedTake(store, key, bucket, 1);

    // Assess: the script's clock at each take lies between the readings around it.
    const regained = (elapsedUs: number): number => (elapsedUs / 1_000_000) * bucket.refillPerSecond;
    const fewest = regained(later.beforeUs - drained.afterUs);
    const most = regained(later.afterUs - drained.beforeUs);
    expect(fewest).toBeGreaterThan(25);
    expect(later.decision.allowed).toBe(true);
    expect(later.decision.remaining).toBeGreaterThanOrEqual(Math.floor(fewest - 1));
    expect(later.decision.remaining).toBeLessThanOrEqual(Math.floor(most - 1));
    // Full again when the missing tokens have come back, 50 ms each.
    expect(later.decision.resetAtMs).toBeGreaterThanOrEqual(later.beforeUs / 1000 + (60 - (most - 1)) * 50 - 1);
    expect(later.decision.resetAtMs).toBeLessThanOrEqual(later.afterUs / 1000 + (60 - (fewest - 1)) * 50 + 1);
  });

  it('refuses an empty bucket with the time until one token is back, and when it is full again', async () => {
    const store = newStore();
    const key = freshKey();
    const drained = await timedTake(store, key, ANONYMOUS, 100);
    const refused = await timedTake(store, key, ANONYMOUS, 1);

    expect(refused.decision).toMatchObject({ allowed: false, limit: 100, remaining: 0 });
    // One token comes back every 600 ms; a little has come back since the drain.
    const sinceDrainMs = (refused.afterUs - drained.beforeUs) / 1000;
    expect(refused.decision.retryAfterMs).toBeLessThanOrEqual(600);
    expect(refused.decision.retryAfterMs).toBeGreaterThanOrEqual(Math.floor(600 - sinceDrainMs));
    // The bucket is full 60 s after the drain.
    expect(refused.decision.resetAtMs).toBeGreaterThanOrEqual(Math.floor(drained.beforeUs / 1000 + 60_000) - 1);
    expect(refused.decision.resetAtMs).toBeLessThanOrEqual(Math.ceil(drained.afterUs / 1000 + 60_000) + 1);
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

  it('keeps the state as a hash of fractional tokens and the Redis time in microseconds', async () => {
    const store = newStore();
    const key = freshKey();
    const { beforeUs, afterUs } = await timedTake(store, key, { capacity: 10, refillPerSecond: 3 }, 2.5);

    const [tokens, ts] = await direct.hmget(key, 'tokens', 'ts');
    expect(Number(tokens)).toBe(7.5);
    expect(Number(ts)).toBeGreaterThanOrEqual(beforeUs);
    expect(Number(ts)).toBeLessThanOrEqual(afterUs);
  });

  it('leaves no key for a full bucket', async () => {
    const store = newStore();
    const untouched = freshKey();
    const refilled = freshKey();
    // A bucket stored half a token short ten seconds ago has refilled since.
    await direct.hset(refilled, { tokens: 99.5, ts: (await redisTimeUs()) - 10_000_000 });

    const peek = await store.take(untouched, ANONYMOUS, 0);
    const refilledPeek = await store.take(refilled, ANONYMOUS, 0);

    expect(peek).toMatchObject({ allowed: true, remaining: 100, retryAfterMs: 0 });
    expect(refilledPeek).toMatchObject({ allowed: true, remaining: 100 });
    expect(await direct.exists(untouched, refilled)).toBe(0);
  });

  it('has the key vanish by itself once the bucket has refilled', async () => {
    const store = newStore();
    const key = freshKey();

    await store.take(key, { capacity: 5, refillPerSecond: 1000 }, 1); // back in 1 ms
    await sleep(20);

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
    await expect(store.take(key, ANONYMOUS, Number.POSITIVE_INFINITY)).rejects.toThrow(RangeError);
    expect(store.roundTrips).toBe(0);
  });
});

const scanAll = (match: string): Promise<string[]> => scanKeys(direct, match);
