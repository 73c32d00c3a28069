// One run of a job at a time: a lock per job name, taken before the work and released after it.
// In the cloud the lock is a Redis key, `SET job_lock:{job} <token> NX PX <ttl>` through @upstash/redis
// (one billed command), released by a compare-and-delete script (release-lock.lua.ts: deterministic,
// its one key in KEYS, as Upstash asks; EVALSHA + GET + DEL = 3 billed commands) so a run never
// deletes a lock that expired and was taken over by the next one. The TTL is the run's remaining
// Lambda time plus a margin, so the lock of a crashed or killed run expires by itself.
//
// Without Upstash (the local runtime: one process serves every function) the lock lives in this
// process's memory, with the same semantics. When Redis fails or exceeds its budget, the default
// lock falls back to a lease in Postgres (lease-lock.ts), shared by every container — never to
// this container's memory, which let two containers run discover at once and notify Slack twice.
// When the database fails too, the run does not start (runJob records it: `lock_failed`). The
// fallback is logged and counted (`job_lock_fallbacks_total`).
import { randomUUID } from 'node:crypto';
import { log } from '../log/index.js';
import type { Redis } from '@upstash/redis';
import { getDb } from '../db/client.js';
import { abortable, defaultRedis, isNoScript } from '../redis/client.js';
import { createLeaseLock } from './lease-lock.js';
import { jobLockFallbacks } from './metrics.js';
import { RELEASE_LOCK_SCRIPT, RELEASE_LOCK_SHA1 } from './release-lock.lua.js';

/** Prefix of every lock key: `job_lock:janitor`. */
export const LOCK_KEY_PREFIX = 'job_lock:';

export type LockBackend = 'redis' | 'postgres' | 'memory';

export interface LockHandle {
  /** Where the lock is held. */
  readonly backend: LockBackend;
  /**
   * Releases the lock if it is still ours. Resolves true when it was, false when it had expired
   * (and may have been taken over: that holder's lock is left alone). Rejects when Redis fails;
   * the lock then expires with its TTL.
   */
  release(signal?: AbortSignal): Promise<boolean>;
}

export interface JobLock {
  /**
   * Takes the lock of `job` for `ttlMs`. Resolves undefined when another run holds it; rejects when
   * the store fails (or `signal` aborts).
   */
  acquire(job: string, ttlMs: number, signal?: AbortSignal): Promise<LockHandle | undefined>;
}

export interface RedisLockOptions {
  /** Sends `SET … NX PX` and runs the release script: this container's @upstash/redis client in production. */
  redis: LockRedis;
  /** Prefix of the lock keys. Default LOCK_KEY_PREFIX; tests isolate themselves with their own. */
  prefix?: string;
}

/** What the lock needs of Redis; a test overrides one method to inject a failure. */
export type LockRedis = Pick<Redis, 'set' | 'evalsha' | 'eval'>;

/** The Redis lock: one command to take, one script call (two on NOSCRIPT) to release. */
export function createRedisLock(options: RedisLockOptions): JobLock {
  const { redis } = options;
  const prefix = options.prefix ?? LOCK_KEY_PREFIX;

  async function release(key: string, token: string, signal?: AbortSignal): Promise<boolean> {
    let reply: unknown;
    try {
      reply = await abortable(signal, () => redis.evalsha(RELEASE_LOCK_SHA1, [key], [token]));
    } catch (error) {
      if (!isNoScript(error)) throw error;
      reply = await abortable(signal, () => redis.eval(RELEASE_LOCK_SCRIPT, [key], [token]));
    }
    return reply === 1;
  }

  return {
    async acquire(job, ttlMs, signal) {
      const key = `${prefix}${job}`;
      const token = randomUUID();
      const reply = await abortable(signal, () => redis.set(key, token, { nx: true, px: Math.max(1, Math.ceil(ttlMs)) }));
      if (reply !== 'OK') return undefined;
      return { backend: 'redis', release: (releaseSignal) => release(key, token, releaseSignal) };
    },
  };
}

export interface MemoryLockOptions {
  /** Clock in milliseconds. Default `Date.now`. */
  now?: () => number;
}

/** The same lock in this process's memory: for the local runtime, and the fallback. */
export function createMemoryLock(options: MemoryLockOptions = {}): JobLock {
  const now = options.now ?? Date.now;
  const held = new Map<string, { token: string; expiresAt: number }>();
  return {
    acquire(job, ttlMs) {
      const current = held.get(job);
      if (current !== undefined && current.expiresAt > now()) return Promise.resolve(undefined);
      const token = randomUUID();
      held.set(job, { token, expiresAt: now() + Math.max(1, ttlMs) });
      return Promise.resolve({
        backend: 'memory',
        release() {
          const mine = held.get(job);
          if (mine?.token !== token) return Promise.resolve(false);
          held.delete(job);
          return Promise.resolve(mine.expiresAt > now());
        },
      });
    },
  };
}

export interface FallbackLockOptions {
  primary: JobLock;
  /** Used when `primary` rejects. */
  fallback: JobLock;
  /** Told about every fallback (the default lock logs and counts it). */
  onFallback?: (job: string, error: unknown) => void;
}

/** `primary`, or `fallback` for any acquisition `primary` fails (a lock just as shared, never memory). */
export function createFallbackLock(options: FallbackLockOptions): JobLock {
  return {
    async acquire(job, ttlMs, signal) {
      try {
        return await options.primary.acquire(job, ttlMs, signal);
      } catch (error) {
        options.onFallback?.(job, error);
        return options.fallback.acquire(job, ttlMs);
      }
    },
  };
}

let memoryLock: JobLock = createMemoryLock();
let defaultLock: JobLock | undefined;

function logFallback(job: string, error: unknown): void {
  jobLockFallbacks.inc({ job });
  log.warn('job lock: Redis failed, locking through a lease in Postgres', {
    job,
    reason: 'redis_unavailable',
    error: error instanceof Error ? error : String(error),
  });
}

/**
 * This container's job lock: Redis (falling back to a lease in Postgres) when Upstash is
 * configured, else the process's memory lock, shared by every function the local runtime serves.
 */
export function defaultJobLock(): JobLock {
  if (defaultLock === undefined) {
    const redis = defaultRedis();
    defaultLock =
      redis === undefined
        ? memoryLock
        : createFallbackLock({ primary: createRedisLock({ redis }), fallback: createLeaseLock({ db: getDb }), onFallback: logFallback });
  }
  return defaultLock;
}

/** Forgets the default lock and every in-memory lock (tests that change config). */
export function resetDefaultJobLock(): void {
  defaultLock = undefined;
  memoryLock = createMemoryLock();
}
