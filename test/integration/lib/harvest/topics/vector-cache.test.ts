// The topic vector cache against the real Redis, through the upstash-bridge and our Upstash REST
// client: MGET and pipelined SET … EX really store and serve vectors, with the TTL set, counted in
// cache_hits_total / cache_misses_total{cache="topic_vector"}. Keys live under a random prefix and
// are deleted afterwards.
import { randomUUID } from 'node:crypto';
import { Redis as IORedis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startUpstashBridge, type UpstashBridge } from '../../../../../infra/local/upstash-bridge.js';
import { createVectorCache, vectorKey } from '../../../../../lib/harvest/topics/vector-cache.js';
import { decodeVector } from '../../../../../lib/harvest/topics/vector-codec.js';
import { textVector } from '../../../../../lib/harvest/topics/vectors.js';
import { cacheHits, cacheMisses } from '../../../../../lib/metrics/cache-metrics.js';
import { createUpstashRest, type UpstashRest } from '../../../../../lib/redis/upstash-rest.js';
import { valueOf } from '../../../../support/metric-values.js';
import { scanAll } from '../../../../support/redis-scan.js';
import { services } from '../../../../support/services.js';

const prefix = `test:topic-vector:${randomUUID()}:`;
const LABEL = { cache: 'topic_vector' };

let bridge: UpstashBridge;
let client: UpstashRest;
let direct: IORedis;

beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: services.redisUrl, token: randomUUID() });
  client = createUpstashRest({ url: bridge.url, token: bridge.token });
  direct = new IORedis(services.redisUrl);
});

afterEach(() => {
  cacheHits.reset();
  cacheMisses.reset();
});

afterAll(async () => {
  const keys = await scanAll(direct, `${prefix}*`);
  if (keys.length > 0) await direct.del(...keys);
  direct.disconnect();
  await bridge.close();
});

describe('the Upstash REST pipeline through the bridge', () => {
  it('runs several commands in one request and answers each, a failed one as an error', async () => {
    const outcomes = await client.pipeline([
      ['SET', `${prefix}p1`, 'one', 'EX', 60],
      ['INCR', `${prefix}p1`],
      ['GET', `${prefix}p1`],
    ]);
    expect(outcomes).toEqual([{ result: 'OK' }, { error: expect.stringContaining('not an integer') as string }, { result: 'one' }]);
    expect(await client.pipeline([])).toEqual([]);
  });
});

describe('the topic vector cache on Redis', () => {
  it('misses, stores with the TTL, then hits, counting both in the metrics', async () => {
    // Arrange
    const cache = createVectorCache({ redis: client, keyPrefix: `${prefix}a:`, ttlSeconds: 604_800 });
    const texts = ['Mamba state space models', 'Kubernetes operator for Postgres', 'Mamba state space models'];

    // Act
    const first = await cache.vectors(texts);
    const second = await cache.vectors(texts);

    // Assess
    expect(first).toEqual({ vectors: texts.map(textVector), hits: 0, misses: 2 });
    expect(second).toEqual({ vectors: texts.map(textVector), hits: 2, misses: 0 });
    expect(await valueOf(cacheMisses, LABEL)).toBe(2);
    expect(await valueOf(cacheHits, LABEL)).toBe(2);
    const key = vectorKey(`${prefix}a:`, texts[0] ?? '');
    const ttl = await direct.ttl(key);
    expect(ttl).toBeGreaterThan(604_800 - 60);
    expect(ttl).toBeLessThanOrEqual(604_800);
    expect(decodeVector((await direct.get(key)) ?? '')).toEqual(textVector(texts[0] ?? ''));
  });

  it('serves a run of thousands of texts in batches, and a second run entirely from Redis', async () => {
    // Arrange
    const texts = Array.from({ length: 2000 }, (_, i) => `signal ${String(i)} about topic ${String(i % 37)} and word${String(i)}`);
    const cache = createVectorCache({ redis: client, keyPrefix: `${prefix}bulk:`, ttlSeconds: 120, batchSize: 250 });
    const send = vi.spyOn(client, 'command');

    // Act
    const first = await cache.vectors(texts);
    const second = await cache.vectors(texts);

    // Assess: 8 MGETs a run, never one GET per text
    expect([first.misses, second.hits, second.misses]).toEqual([2000, 2000, 0]);
    expect(send.mock.calls.map(([args]) => args[0])).toEqual(Array.from({ length: 16 }, () => 'MGET'));
    expect(second.vectors[1234]).toEqual(textVector(texts[1234] ?? ''));
    expect(await scanAll(direct, `${prefix}bulk:*`)).toHaveLength(2000);
    send.mockRestore();
  });

  it('computes the vectors itself when Redis refuses the token, saying why', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const intruder = createUpstashRest({ url: bridge.url, token: 'wrong' });
    const lookup = await createVectorCache({ redis: intruder, keyPrefix: `${prefix}x:` }).vectors(['rust borrow checker']);
    expect(lookup).toEqual({ vectors: [textVector('rust borrow checker')], hits: 0, misses: 1, reason: 'redis_read_failed' });
    vi.restoreAllMocks();
  });
});
