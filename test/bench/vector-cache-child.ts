// Child process of vector-cache.ts (issue 13, point 8): does caching topic vectors in Redis pay?
// 2,000 distinct signal texts: computing every vector (textVector) against the same lookup served
// from a warm Redis cache (MGET through @upstash/redis and the local bridge to the
// machine's Redis — a local round trip, far cheaper than Upstash's over the internet) and from a
// warm in-process cache.
import { randomUUID } from 'node:crypto';
import { Redis as IORedis } from 'ioredis';
import { startUpstashBridge } from '../../infra/local/upstash-bridge.js';
import { createVectorCache } from '../../lib/harvest/topics/vector-cache.js';
import { textVector } from '../../lib/harvest/topics/vectors.js';
import { createRedis } from '../../lib/redis/client.js';
import { scanAll } from '../support/redis-scan.js';
import { services } from '../support/services.js';
import { reportToParent } from './child.js';
import { median } from './stats.js';

export interface VectorCacheResult {
  texts: number;
  /** Median of each way over the runs, ms for all texts. */
  computeMs: number;
  redisWarmMs: number;
  memoryWarmMs: number;
}

const TEXTS = 2_000;
const RUNS = 7;
const words = ['model', 'latency', 'vector', 'kernel', 'release', 'benchmark', 'outage', 'inference', 'token', 'dataset'];
const texts = Array.from({ length: TEXTS }, (_, i) =>
  `Signal ${String(i)}: ${Array.from({ length: 40 }, (_, j) => words[(i * 7 + j * 3) % words.length] ?? '').join(' ')} ${'detail '.repeat(i % 30)}`,
);

async function timedMs(work: () => unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

const prefix = `bench:topic-vector:${randomUUID()}:`;
const bridge = await startUpstashBridge({ redisUrl: services.redisUrl, token: randomUUID() });
const direct = new IORedis(services.redisUrl);
let result: VectorCacheResult;
try {
  const redisCache = createVectorCache({ redis: createRedis({ url: bridge.url, token: bridge.token }), keyPrefix: prefix, ttlSeconds: 600 });
  const memoryCache = createVectorCache({ redis: null, keyPrefix: prefix, ttlSeconds: 600 });
  await redisCache.vectors(texts);
  await memoryCache.vectors(texts);
  const compute: number[] = [];
  const redis: number[] = [];
  const memory: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    compute.push(await timedMs(() => texts.map((text) => textVector(text))));
    redis.push(
      await timedMs(async () => {
        const lookup = await redisCache.vectors(texts);
        if (lookup.hits !== TEXTS) throw new Error(`redis cache served ${String(lookup.hits)} of ${String(TEXTS)}`);
      }),
    );
    memory.push(await timedMs(() => memoryCache.vectors(texts)));
  }
  result = { texts: TEXTS, computeMs: median(compute), redisWarmMs: median(redis), memoryWarmMs: median(memory) };
} finally {
  const keys = await scanAll(direct, `${prefix}*`);
  if (keys.length > 0) await direct.del(...keys);
  direct.disconnect();
  await bridge.close();
}
reportToParent(result);
