// Child process of rate-limit.ts, the Redis part: rate-limit decisions through the Upstash bridge
// to the machine's Redis, ours (RedisStore over @upstash/redis as lib/redis/client.ts sets it up)
// against @upstash/ratelimit's token bucket over @upstash/redis with its defaults, sequential and
// interleaved, each decision on a fresh identifier so both allow. HTTP calls are counted where
// Upstash would count them, at the bridge (Node's `http.server.request.start` channel: neither
// client takes a custom fetch). Keys live under a random prefix and are deleted afterwards.
import { randomUUID } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis as UpstashRedis } from '@upstash/redis';
import { Redis as IORedis } from 'ioredis';
import { startUpstashBridge } from '../../infra/local/upstash-bridge.js';
import { bucketKey } from '../../lib/ratelimit/bucket-key.js';
import { RateLimiter } from '../../lib/ratelimit/limiter.js';
import { RedisStore } from '../../lib/ratelimit/redis-store.js';
import type { BucketSpec, DecisionReason } from '../../lib/ratelimit/types.js';
import { createRedis } from '../../lib/redis/client.js';
import { services } from '../support/services.js';
import { reportToParent } from './child.js';
import { interleave, median } from './stats.js';

export interface DecisionSeries {
  /** Median latency of one decision, µs. */
  p50Us: number;
  /** HTTP requests the bridge received, per decision. */
  httpCallsPerDecision: number;
}

export interface RedisDecisionsResult {
  /** Measured decisions per side (after the warm-up). */
  samples: number;
  /** RedisStore.take over createRedis (@upstash/redis). */
  ours: DecisionSeries;
  /** Ratelimit.tokenBucket(100, '60 s', 100).limit() over @upstash/redis. */
  theirs: DecisionSeries;
  /** RateLimiter.check over the same RedisStore: the production path (hashing, time budget, metrics). */
  limiter: DecisionSeries;
  /** Checks of a bucket the limiter has just seen refused: answered from its denial cache. */
  oursCachedDenial: DecisionSeries & {
    /** RedisStore script calls per check. */
    storeCallsPerDecision: number;
    checks: number;
  };
  /** limit() on a bucket @upstash/ratelimit has just refused (ephemeralCache off, as configured). */
  theirsDenial: DecisionSeries & { checks: number };
}

const WARM_UP_ROUNDS = 30;
const ROUNDS = 300;
/** Checks on an exhausted bucket; far quicker than the ~600 ms the denial is cached for. */
const DENIAL_CHECKS = 20;
/** The anonymous tier, both sides: 100 tokens, refilled at 100 a minute. */
const CAPACITY = 100;
const ANONYMOUS: BucketSpec = { capacity: CAPACITY, refillPerSecond: CAPACITY / 60 };

interface Series {
  ms: number[];
  httpCalls: number;
}

const newSeries = (): Series => ({ ms: [], httpCalls: 0 });

const summary = (series: Series): DecisionSeries => ({
  p50Us: median(series.ms) * 1000,
  httpCallsPerDecision: series.httpCalls / series.ms.length,
});

const prefix = `bench:rate-limit:${randomUUID()}:`;
const bridge = await startUpstashBridge({ redisUrl: services.redisUrl, token: randomUUID() });
const bridgePort = Number(new URL(bridge.url).port);

let bridgeRequests = 0;
const countBridgeRequest = (message: unknown): void => {
  const { server } = message as { server: Server };
  if ((server.address() as AddressInfo | null)?.port === bridgePort) bridgeRequests += 1;
};
subscribe('http.server.request.start', countBridgeRequest);

const store = new RedisStore({ runner: createRedis({ url: bridge.url, token: bridge.token }) });
// A budget no local call comes near: a decision that falls back would not be a Redis decision.
const limiter = new RateLimiter({
  store,
  limits: { anonymous: CAPACITY, api_key: 1_000, premium: 5_000 },
  timeoutMs: 1_000,
  keyPrefix: prefix,
});
const theirs = new Ratelimit({
  redis: new UpstashRedis({ url: bridge.url, token: bridge.token }),
  limiter: Ratelimit.tokenBucket(CAPACITY, '60 s', CAPACITY),
  ephemeralCache: false,
  analytics: false,
  prefix: `${prefix}upstash`,
});

let serial = 0;
const freshIdentifier = (): string => `client-${String((serial += 1))}`;

function expectReason(actual: DecisionReason, expected: DecisionReason): void {
  if (actual !== expected) throw new Error(`the limiter decided from ${actual}, not ${expected}`);
}

const ourDecision = async (key: string): Promise<boolean> => (await store.take(key, ANONYMOUS, 1)).allowed;
const theirDecision = async (identifier: string): Promise<boolean> => {
  const result = await theirs.limit(identifier);
  if (result.reason !== undefined) throw new Error(`@upstash/ratelimit decided by ${result.reason}, not from Redis`);
  return result.success;
};
const limiterDecision =
  (expected: DecisionReason) =>
  async (identifier: string): Promise<boolean> => {
    const decision = await limiter.check(identifier, 'anonymous');
    expectReason(decision.reason, expected);
    return decision.allowed;
  };

/** One decision, timed and its bridge requests counted into `series`; checks it was `allowed` as expected. */
async function decide(series: Series | undefined, decision: (id: string) => Promise<boolean>, id: string, allowed: boolean): Promise<void> {
  const calls = bridgeRequests;
  const started = performance.now();
  const answer = await decision(id);
  const elapsed = performance.now() - started;
  if (answer !== allowed) throw new Error(`expected ${allowed ? 'an allowed' : 'a refused'} decision for ${id}`);
  if (series === undefined) return;
  series.ms.push(elapsed);
  series.httpCalls += bridgeRequests - calls;
}

/** Spends a fresh bucket's `CAPACITY` tokens, then has it refused once. */
async function exhaust(decision: (id: string) => Promise<boolean>, id: string): Promise<void> {
  for (let i = 0; i < CAPACITY; i += 1) await decide(undefined, decision, id, true);
  await decide(undefined, decision, id, false);
}

async function measure(): Promise<RedisDecisionsResult> {
  const ours = newSeries();
  const their = newSeries();
  const viaLimiter = newSeries();
  let recording = false;
  const steps = [
    () => decide(recording ? ours : undefined, ourDecision, bucketKey(freshIdentifier(), 'anonymous', prefix), true),
    () => decide(recording ? their : undefined, theirDecision, freshIdentifier(), true),
    () => decide(recording ? viaLimiter : undefined, limiterDecision('redis'), freshIdentifier(), true),
  ];
  // The first rounds also load each side's script (NOSCRIPT, then EVAL).
  await interleave(WARM_UP_ROUNDS, steps);
  recording = true;
  await interleave(ROUNDS, steps);

  // Ours: the limiter remembers a Redis denial and answers the next checks without a call.
  const deniedByUs = freshIdentifier();
  await exhaust(limiterDecision('redis'), deniedByUs);
  const cachedDenial = newSeries();
  const storeCallsBefore = store.roundTrips;
  for (let i = 0; i < DENIAL_CHECKS; i += 1) await decide(cachedDenial, limiterDecision('cached_denial'), deniedByUs, false);
  const storeCalls = store.roundTrips - storeCallsBefore;

  // Theirs, with ephemeralCache off as configured: every denial is a Redis decision.
  const deniedByThem = freshIdentifier();
  await exhaust(theirDecision, deniedByThem);
  const theirDenial = newSeries();
  for (let i = 0; i < DENIAL_CHECKS; i += 1) await decide(theirDenial, theirDecision, deniedByThem, false);

  return {
    samples: ROUNDS,
    ours: summary(ours),
    theirs: summary(their),
    limiter: summary(viaLimiter),
    oursCachedDenial: { ...summary(cachedDenial), storeCallsPerDecision: storeCalls / DENIAL_CHECKS, checks: DENIAL_CHECKS },
    theirsDenial: { ...summary(theirDenial), checks: DENIAL_CHECKS },
  };
}

async function deleteKeys(redis: IORedis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

let result: RedisDecisionsResult;
try {
  result = await measure();
} finally {
  unsubscribe('http.server.request.start', countBridgeRequest);
  const direct = new IORedis(services.redisUrl, { protocol: 2 });
  try {
    await deleteKeys(direct, `${prefix}*`);
  } finally {
    direct.disconnect();
    await bridge.close();
  }
}
reportToParent(result);
