// The vector cache's bookkeeping without a network: hits and misses per distinct text (and in the
// metrics), batches of MGET and pipelined SET … EX, and fail-open when Redis errors, with a reason.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createVectorCache, vectorKey, type VectorRedis } from '../../../../../lib/harvest/topics/vector-cache.js';
import { encodeVector } from '../../../../../lib/harvest/topics/vector-codec.js';
import { textVector } from '../../../../../lib/harvest/topics/vectors.js';
import { cacheHits, cacheMisses } from '../../../../../lib/metrics/cache-metrics.js';
import type { RedisArg } from '../../../../../lib/redis/client.js';
import { valueOf } from '../../../../support/metric-values.js';

const LABEL = { cache_type: 'memory', cache_name: 'topic_vector' };

/**
 * A Redis held in a Map that records every call in the shape it would go over the wire
 * (`[['MGET', …keys]]`, or one `['SET', key, value, 'EX', s]` per pipelined command); `fail`
 * makes reads (`command`) or pipelines reject.
 */
function fakeRedis(fail: { command?: boolean; pipeline?: boolean } = {}): VectorRedis & { store: Map<string, string>; calls: RedisArg[][][] } {
  const store = new Map<string, string>();
  const calls: RedisArg[][][] = [];
  const mget = (...keys: string[]): Promise<Array<string | null>> => {
    calls.push([['MGET', ...keys]]);
    if (fail.command === true) return Promise.reject(new Error('connection refused'));
    return Promise.resolve(keys.map((key) => store.get(key) ?? null));
  };
  const pipeline = (): { set: (key: string, value: string, options: { ex: number }) => unknown; exec: () => Promise<unknown[]> } => {
    const commands: RedisArg[][] = [];
    const chain = {
      set: (key: string, value: string, options: { ex: number }) => {
        commands.push(['SET', key, value, 'EX', options.ex]);
        return chain;
      },
      exec: () => {
        calls.push(commands);
        if (fail.pipeline === true) return Promise.reject(new Error('HTTP 500'));
        for (const [, key, value] of commands) store.set(String(key), String(value));
        return Promise.resolve(commands.map(() => 'OK'));
      },
    };
    return chain;
  };
  // Only the two methods the cache calls, in the shapes it uses them: a partial of the client.
  return { store, calls, mget, pipeline } as unknown as VectorRedis & { store: Map<string, string>; calls: RedisArg[][][] };
}

describe('createVectorCache', () => {
  beforeEach(() => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    return () => vi.restoreAllMocks();
  });

  afterEach(() => {
    cacheHits.reset();
    cacheMisses.reset();
  });

  it('computes, stores and then serves vectors from memory when there is no Redis, counting each distinct text once', async () => {
    // Arrange
    const cache = createVectorCache({ redis: null, ttlSeconds: 60 });
    const texts = ['rust borrow checker', 'quantum error correction', 'rust borrow checker'];

    // Act
    const first = await cache.vectors(texts);
    const second = await cache.vectors(texts);

    // Assess
    expect(first).toMatchObject({ hits: 0, misses: 2 });
    expect(second).toMatchObject({ hits: 2, misses: 0 });
    expect(first.reason).toBeUndefined();
    expect(second.vectors).toEqual(texts.map(textVector));
    expect(await valueOf(cacheHits, LABEL)).toBe(2);
    expect(await valueOf(cacheMisses, LABEL)).toBe(2);
  });

  it('reads with one MGET per batch and writes misses with pipelined SET … EX <ttl>', async () => {
    // Arrange
    const redis = fakeRedis();
    const cache = createVectorCache({ redis, ttlSeconds: 600, batchSize: 2, keyPrefix: 'p:' });
    const texts = ['a1 alpha', 'b2 beta', 'c3 gamma', 'd4 delta', 'e5 epsilon'];
    redis.store.set(vectorKey('p:', 'b2 beta'), encodeVector(textVector('b2 beta')));

    // Act
    const lookup = await cache.vectors(texts);

    // Assess
    expect(lookup).toMatchObject({ hits: 1, misses: 4 });
    const mgets = redis.calls.filter((call) => call[0]?.[0] === 'MGET');
    expect(mgets.map((call) => call[0]?.length)).toEqual([3, 3, 2]);
    const sets = redis.calls.filter((call) => call[0]?.[0] === 'SET');
    expect(sets.map((call) => call.length)).toEqual([2, 2]);
    expect(sets[0]?.[0]).toEqual(['SET', vectorKey('p:', 'a1 alpha'), encodeVector(textVector('a1 alpha')), 'EX', 600]);
    expect((await cache.vectors(texts)).hits).toBe(5);
  });

  it('treats a cached value that is not a vector as a miss and overwrites it', async () => {
    const redis = fakeRedis();
    redis.store.set(vectorKey('p:', 'rust'), 'garbage');
    const lookup = await createVectorCache({ redis, keyPrefix: 'p:' }).vectors(['rust']);
    expect(lookup).toMatchObject({ hits: 0, misses: 1 });
    expect(redis.store.get(vectorKey('p:', 'rust'))).toBe(encodeVector(textVector('rust')));
  });

  it('computes every vector when Redis cannot be read, says why, and does not try to write', async () => {
    // Arrange
    const redis = fakeRedis({ command: true });

    // Act
    const lookup = await createVectorCache({ redis }).vectors(['rust borrow checker', 'go scheduler']);

    // Assess
    expect(lookup).toMatchObject({ hits: 0, misses: 2, reason: 'redis_read_failed' });
    expect(lookup.vectors).toEqual([textVector('rust borrow checker'), textVector('go scheduler')]);
    expect(redis.calls.some((call) => call[0]?.[0] === 'SET')).toBe(false);
  });

  it('still returns the vectors when they cannot be stored, with reason redis_write_failed', async () => {
    const lookup = await createVectorCache({ redis: fakeRedis({ pipeline: true }) }).vectors(['rust']);
    expect(lookup).toMatchObject({ hits: 0, misses: 1, reason: 'redis_write_failed' });
    expect(lookup.vectors).toEqual([textVector('rust')]);
  });

});
