// Signal text vectors cached for TOPIC_VECTOR_CACHE_TTL_S (the seed's embeddings cache, 7 days),
// keyed by a hash of the text, so the daily topic job does not vectorise a month of signals again
// every day: in Upstash Redis through @upstash/redis (MGET for reads, pipelined SET … EX for
// writes, a few requests in flight, so thousands of signals cost a few dozen round trips), or in
// an in-memory LRU per container when Upstash is not configured. Hits and misses are counted in
// cache_hits_total / cache_misses_total{cache_name="topic_vector"} and, as the seed's embedding
// metrics, embedding_cache_hits_total / embedding_computed_total (lib/metrics/embedding-metrics.ts).
// Fail-open on purpose: vectors are computed locally anyway, so a Redis that errors or is slow
// costs only the cache; the lookup says so in its `reason` and in one warning per run.
import { createHash } from 'node:crypto';
import { TtlCache } from '../../cache/ttl-cache.js';
import { getConfig } from '../../config.js';
import { log } from '../../log/index.js';
import { cacheHits, cacheMisses, setCacheSize } from '../../metrics/cache-metrics.js';
import { embeddingCacheHits, timedVectorize } from '../../metrics/embedding-metrics.js';
import type { Redis } from '@upstash/redis';
import { abortable, defaultRedis } from '../../redis/client.js';
import { decodeVector, encodeVector } from './vector-codec.js';
import { textVector, VECTOR_DIMENSIONS, VECTOR_VERSION } from './vectors.js';


/** What the cache needs of Redis; a test can hand in a client whose one method fails. */
export type VectorRedis = Pick<Redis, 'mget' | 'pipeline'>;

export interface VectorCacheOptions {
  /**
   * Redis to keep vectors in. Default: this container's @upstash/redis client (lib/redis/client.ts);
   * `null`, or Upstash not configured, keeps them in an in-memory LRU instead.
   */
  redis?: VectorRedis | null;
  /** Seconds a vector stays cached (Redis `EX`, the LRU's TTL). Default: config TOPIC_VECTOR_CACHE_TTL_S (604,800). */
  ttlSeconds?: number;
  /** Prefix of every key; a test isolates itself with a random one. Default `topic_vector:v<VECTOR_VERSION>:<dimensions>:`. */
  keyPrefix?: string;
  /** Keys per MGET and SETs per pipeline request (~1.4 KB each). Default 250. */
  batchSize?: number;
  /** Redis requests in flight at once. Default 4. */
  concurrency?: number;
  /** Budget of one Redis request, ms. Default 2,000. */
  timeoutMs?: number;
  /** Entries the in-memory LRU holds (no Redis). Default 20,000 (~20 MB). */
  memoryEntries?: number;
  /** Computes a missing vector. Default `textVector`. */
  vectorize?: (text: string) => Float32Array;
}

/** Why the cache did not fully serve a lookup; absent when it did. */
export type VectorCacheReason = 'redis_read_failed' | 'redis_write_failed';

export interface VectorLookup {
  /** One vector per text, in the order given. */
  vectors: Float32Array[];
  /** Distinct texts found in the cache, and computed (then stored). */
  hits: number;
  misses: number;
  reason?: VectorCacheReason;
}

export interface VectorCache {
  /** Vectors of `texts`, from the cache where present, computed and stored otherwise. Never rejects for Redis. */
  vectors(texts: readonly string[]): Promise<VectorLookup>;
}

/** Where vectors live: Redis, or memory. Values are vectors; the Redis store encodes them. */
interface Store {
  getMany(keys: readonly string[]): Promise<Array<Float32Array | undefined>>;
  setMany(entries: ReadonlyArray<readonly [string, Float32Array]>): Promise<void>;
}

/** Runs `work` over `items` in chunks of `size`, at most `concurrency` chunks at once, results in order. */
async function chunked<T, R>(items: readonly T[], size: number, concurrency: number, work: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  const results: R[][] = new Array<R[]>(chunks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < chunks.length) {
      const index = next++;
      results[index] = await work(chunks[index] ?? []);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
  return results.flat();
}

function redisStore(redis: VectorRedis, options: Required<Pick<VectorCacheOptions, 'ttlSeconds' | 'batchSize' | 'concurrency' | 'timeoutMs'>>): Store {
  return {
    getMany: (keys) =>
      chunked(keys, options.batchSize, options.concurrency, async (chunk) => {
        const values = await abortable(AbortSignal.timeout(options.timeoutMs), () => redis.mget<Array<string | null>>(...chunk));
        return chunk.map((_, i) => {
          const value = values[i];
          return typeof value === 'string' ? decodeVector(value) : undefined;
        });
      }),
    setMany: async (entries) => {
      await chunked(entries, options.batchSize, options.concurrency, async (chunk) => {
        const pipeline = redis.pipeline();
        for (const [key, vector] of chunk) pipeline.set(key, encodeVector(vector), { ex: options.ttlSeconds });
        // One request for the chunk; a refused SET rejects it (UpstashError naming the command).
        await abortable(AbortSignal.timeout(options.timeoutMs), () => pipeline.exec());
        return [];
      });
    },
  };
}

function memoryStore(cache: TtlCache<string, Float32Array>): Store {
  return {
    getMany: (keys) => Promise.resolve(keys.map((key) => cache.get(key))),
    setMany: (entries) => {
      for (const [key, vector] of entries) cache.set(key, vector);
      return Promise.resolve();
    },
  };
}

/** The cache key of a text: a prefix naming the vector version, then SHA-256 of the text (128 bits, hex). */
export function vectorKey(prefix: string, text: string): string {
  return `${prefix}${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}

export const DEFAULT_KEY_PREFIX = `topic_vector:v${String(VECTOR_VERSION)}:${String(VECTOR_DIMENSIONS)}:`;

/** Bytes of one cached entry: its key and its base64 value (for cache_size_bytes). */
const ENTRY_BYTES = DEFAULT_KEY_PREFIX.length + 32 + Math.ceil((VECTOR_DIMENSIONS * 4) / 3) * 4;

export function createVectorCache(options: VectorCacheOptions = {}): VectorCache {
  const ttlSeconds = options.ttlSeconds ?? getConfig().TOPIC_VECTOR_CACHE_TTL_S;
  const prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const vectorize = timedVectorize(options.vectorize ?? textVector);
  const redis = options.redis === undefined ? defaultRedis() : options.redis;
  const labels = { cache_type: redis === null || redis === undefined ? 'memory' : 'redis', cache_name: 'topic_vector' } as const;
  const store =
    redis === null || redis === undefined
      ? memoryStore(new TtlCache({ ttlMs: ttlSeconds * 1000, maxEntries: options.memoryEntries ?? 20_000 }))
      : redisStore(redis, {
          ttlSeconds,
          batchSize: options.batchSize ?? 250,
          concurrency: options.concurrency ?? 4,
          timeoutMs: options.timeoutMs ?? 2000,
        });

  return {
    async vectors(texts) {
      // Each distinct text is looked up, computed and stored once, however often it repeats.
      const keyOf = texts.map((text) => vectorKey(prefix, text));
      const textOfKey = new Map<string, string>();
      keyOf.forEach((key, i) => textOfKey.set(key, texts[i] ?? ''));
      const keys = [...textOfKey.keys()];

      let reason: VectorCacheReason | undefined;
      let cached: Array<Float32Array | undefined>;
      try {
        cached = await store.getMany(keys);
      } catch (error) {
        reason = 'redis_read_failed';
        log.warn('topic vector cache read failed; computing every vector', { reason, keys: keys.length, error: error as Error });
        cached = [];
      }

      const byKey = new Map<string, Float32Array>();
      const computed: Array<[string, Float32Array]> = [];
      keys.forEach((key, i) => {
        const hit = cached[i];
        if (hit !== undefined) {
          byKey.set(key, hit);
          return;
        }
        const vector = vectorize(textOfKey.get(key) ?? '');
        byKey.set(key, vector);
        computed.push([key, vector]);
      });
      const hits = keys.length - computed.length;
      if (hits > 0) cacheHits.inc(labels, hits);
      if (hits > 0) embeddingCacheHits.inc(hits);
      if (computed.length > 0) cacheMisses.inc(labels, computed.length);

      // After a failed read Redis is not asked again in this lookup: it would most likely fail too.
      if (reason === undefined && computed.length > 0) {
        try {
          await store.setMany(computed);
        } catch (error) {
          reason = 'redis_write_failed';
          log.warn('topic vector cache write failed; vectors were computed', { reason, keys: computed.length, error: error as Error });
        }
      }
      // Every key of this look-up is cached now (read or written): what the cache is known to hold.
      if (reason === undefined) setCacheSize(labels, { items: keys.length, bytes: keys.length * ENTRY_BYTES });
      const vectors = keyOf.map((key) => byKey.get(key) ?? vectorize(''));
      return reason === undefined ? { vectors, hits, misses: computed.length } : { vectors, hits, misses: computed.length, reason };
    },
  };
}

let shared: VectorCache | undefined;

/** This container's vector cache (Upstash when configured, else memory), built on first use. */
export function defaultVectorCache(): VectorCache {
  shared ??= createVectorCache();
  return shared;
}

/** Forgets the shared cache (tests that change config). */
export function resetDefaultVectorCache(): void {
  shared = undefined;
}
