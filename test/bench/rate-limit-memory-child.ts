// Child process of rate-limit.ts, the memory part: decisions per second of our MemoryStore against
// rate-limiter-flexible's RateLimiterMemory, one decision at a time over the same 1,000 bucket keys
// in turn. Two regimes, both sides in the same one: `roomy` (a capacity no key reaches: every
// decision allowed, the common case) and `tight` (100 a minute: past each key's first 100, every
// decision refused, which rate-limiter-flexible reports by rejecting).
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { bucketKey } from '../../lib/ratelimit/bucket-key.js';
import { MemoryStore } from '../../lib/ratelimit/memory-store.js';
import type { BucketSpec } from '../../lib/ratelimit/types.js';
import { reportToParent } from './child.js';
import { interleave } from './stats.js';

export interface RegimeResult {
  /** Decisions per second: our `await store.take()`. */
  oursTake: number;
  /** Decisions per second: our `store.takeSync()`, what the limiter calls. */
  oursTakeSync: number;
  /** Decisions per second: `await limiter.consume()`, a refusal caught. */
  theirs: number;
  /** Share of the measured decisions refused (the same on every side). */
  deniedShare: number;
}

export interface MemoryDecisionsResult {
  keys: number;
  /** Measured decisions per side and regime. */
  decisions: number;
  roomy: RegimeResult;
  tight: RegimeResult;
}

const KEYS = 1_000;
const BATCH = 100_000;
const ROUNDS = 6;
const ROOMY_PER_MINUTE = 1_000_000_000;
const TIGHT_PER_MINUTE = 100;

/** Keys as the limiter builds them (hashed client addresses), handed to both sides alike. */
const keys = Array.from({ length: KEYS }, (_, i) => bucketKey(`10.0.${String(i >> 8)}.${String(i & 255)}`, 'anonymous'));

/** Runs `count` decisions and resolves with how many were refused. */
type Batch = (count: number) => Promise<number>;

function ours(perMinute: number): { take: Batch; takeSync: Batch } {
  const store = new MemoryStore();
  const bucket: BucketSpec = { capacity: perMinute, refillPerSecond: perMinute / 60 };
  let next = 0;
  return {
    take: async (count) => {
      let denied = 0;
      for (let i = 0; i < count; i += 1) {
        const decision = await store.take(keys[next] ?? '', bucket, 1);
        if (!decision.allowed) denied += 1;
        next = next + 1 === KEYS ? 0 : next + 1;
      }
      return denied;
    },
    takeSync: (count) => {
      let denied = 0;
      for (let i = 0; i < count; i += 1) {
        if (!store.takeSync(keys[next] ?? '', bucket, 1).allowed) denied += 1;
        next = next + 1 === KEYS ? 0 : next + 1;
      }
      return Promise.resolve(denied);
    },
  };
}

function theirs(perMinute: number): Batch {
  const limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  let next = 0;
  return async (count) => {
    let denied = 0;
    for (let i = 0; i < count; i += 1) {
      try {
        await limiter.consume(keys[next] ?? '');
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        denied += 1;
      }
      next = next + 1 === KEYS ? 0 : next + 1;
    }
    return denied;
  };
}

async function measureRegime(perMinute: number): Promise<RegimeResult> {
  const our = ours(perMinute);
  const sides = { oursTake: our.take, oursTakeSync: our.takeSync, theirs: theirs(perMinute) };
  const names = Object.keys(sides) as (keyof typeof sides)[];
  const elapsedMs = { oursTake: 0, oursTakeSync: 0, theirs: 0 };
  const denied = { oursTake: 0, oursTakeSync: 0, theirs: 0 };
  // take and takeSync share one store. One warm-up batch per side (100 decisions per key) drains
  // every tight bucket before anything is measured.
  for (const name of names) await sides[name](BATCH);
  await interleave(
    ROUNDS,
    names.map((name) => async () => {
      const started = performance.now();
      denied[name] += await sides[name](BATCH);
      elapsedMs[name] += performance.now() - started;
    }),
  );
  const decisions = ROUNDS * BATCH;
  const shares = names.map((name) => denied[name] / decisions);
  if (Math.max(...shares) - Math.min(...shares) > 0.01) {
    throw new Error(`the sides ran in different regimes: refused shares ${shares.map((s) => s.toFixed(3)).join(', ')}`);
  }
  const perSecond = (name: keyof typeof sides): number => (decisions * 1000) / elapsedMs[name];
  return {
    oursTake: perSecond('oursTake'),
    oursTakeSync: perSecond('oursTakeSync'),
    theirs: perSecond('theirs'),
    deniedShare: denied.theirs / decisions,
  };
}

const roomy = await measureRegime(ROOMY_PER_MINUTE);
const tight = await measureRegime(TIGHT_PER_MINUTE);
reportToParent({ keys: KEYS, decisions: ROUNDS * BATCH, roomy, tight } satisfies MemoryDecisionsResult);
