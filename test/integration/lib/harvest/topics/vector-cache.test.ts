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
import { createRedis, type AppRedis } from '../../../../../lib/redis/client.js';
import { valueOf } from '../../../../support/metric-values.js';
import { scanAll } from '../../../../support/redis-scan.js';
import { services } from '../../../../support/services.js';

const prefix = `test:topic-vector:${randomUUID()}:`;
const LABEL = { cache_type: 'redis', cache_name: 'topic_vector' };

let bridge: UpstashBridge;
let client: AppRedis;
let direct: IORedis;

beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: services.redisUrl, token: randomUUID() });
  client = createRedis({ url: bridge.url, token: bridge.token });
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

describe('the @upstash/redis pipeline through the bridge', () => {
  it('runs several commands in one request, and rejects naming a command Redis refused', async () => {
    const ok = client.pipeline().set(`${prefix}p1`, 'one', { ex: 60 }).get(`${prefix}p1`);
    expect(await ok.exec()).toEqual(['OK', 'one']);
    // The cache counts such a rejection as a failed write (redis_write_failed).
    const refused = client.pipeline().set(`${prefix}p1`, 'one', { ex: 60 }).incr(`${prefix}p1`);
    await expect(refused.exec()).rejects.toThrow(/Command 2 \[ incr \] failed: .*not an integer/);
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
    const send = vi.spyOn(client, 'mget');

    // Act
    const first = await cache.vectors(texts);
    const second = await cache.vectors(texts);

    // Assess: 8 MGETs a run, never one GET per text
    expect([first.misses, second.hits, second.misses]).toEqual([2000, 2000, 0]);
    expect(send.mock.calls.map((keys) => keys.length)).toEqual(Array.from({ length: 16 }, () => 250));
    expect(second.vectors[1234]).toEqual(textVector(texts[1234] ?? ''));
    expect(await scanAll(direct, `${prefix}bulk:*`)).toHaveLength(2000);
    send.mockRestore();
  });

  it('computes the vectors itself when Redis refuses the token, saying why', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const intruder = createRedis({ url: bridge.url, token: 'wrong' });
    const lookup = await createVectorCache({ redis: intruder, keyPrefix: `${prefix}x:` }).vectors(['rust borrow checker']);
    expect(lookup).toEqual({ vectors: [textVector('rust borrow checker')], hits: 0, misses: 1, reason: 'redis_read_failed' });
    vi.restoreAllMocks();
  });
});
