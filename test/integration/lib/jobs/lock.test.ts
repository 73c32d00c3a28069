// The job lock against the real Redis, through @upstash/redis and the Upstash REST bridge, as a
// lease in real Postgres (through the Neon bridge: the fallback when Redis is gone), and in memory: one holder
// at a time per job, jobs independent of each other, an expired lock taken over, and a release
// that never deletes the next holder's lock. The release script's SHA1 is pinned and checked
// against a real SCRIPT LOAD. Keys live under a random prefix and are deleted afterwards.
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { errors as upstashErrors } from '@upstash/redis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '../../../../lib/config.js';
import { resetDb, setDb } from '../../../../lib/db/client.js';
import { sql } from '../../../../lib/db/sql.js';
import { createLeaseLock } from '../../../../lib/jobs/lease-lock.js';
import {
  createFallbackLock,
  createMemoryLock,
  createRedisLock,
  type LockRedis,
  defaultJobLock,
  resetDefaultJobLock,
  type JobLock,
} from '../../../../lib/jobs/lock.js';
import { jobLockFallbacks } from '../../../../lib/jobs/metrics.js';
import { RELEASE_LOCK_SCRIPT, RELEASE_LOCK_SHA1 } from '../../../../lib/jobs/release-lock.lua.js';
import { resetLog } from '../../../../lib/log/index.js';
import { connectRedis, resetDefaultRedis, type AppRedis } from '../../../../lib/redis/client.js';
import { captureLogLines } from '../../../support/capture-log.js';
import { closeDatabases, createPostgresDatabase, type TestDatabase } from '../../../support/databases.js';
import { valueOf } from '../../../support/metric-values.js';
import { useRedisBridge } from '../../../support/redis-bridge.js';

const prefix = `test:job-lock:${randomUUID()}:`;
const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

const bridged = useRedisBridge(prefix);
let postgres: TestDatabase;

function rest(): AppRedis {
  return bridged.rest();
}

const LOCKS: { store: string; create: () => JobLock }[] = [
  { store: 'Redis', create: () => createRedisLock({ redis: rest(), prefix }) },
  { store: 'Postgres lease', create: () => createLeaseLock({ db: () => Promise.resolve(postgres.db) }) },
  { store: 'memory', create: () => createMemoryLock() },
];

beforeAll(async () => {
  postgres = await createPostgresDatabase();
}, 60_000);

afterAll(async () => {
  await postgres.dispose();
  await closeDatabases();
});

describe('the release script', () => {
  it('has its SHA1 pinned', () => {
    expect(RELEASE_LOCK_SHA1).toBe(sha1(RELEASE_LOCK_SCRIPT));
  });

  it('gets the pinned SHA1 back from a real SCRIPT LOAD', async () => {
    const { url, token } = bridged.bridge;
    expect(await (await connectRedis({ url, token })).scriptLoad(RELEASE_LOCK_SCRIPT)).toBe(RELEASE_LOCK_SHA1);
  });
});

describe.each(LOCKS)('the $store job lock', ({ create }) => {
  it('lets exactly one of many concurrent runs of a job take it', async () => {
    // Prepare: five containers' locks over one store (memory: one process, so one lock object)
    const shared = create();
    const job = `job-${randomUUID()}`;

    // Act
    const handles = await Promise.all(Array.from({ length: 5 }, () => shared.acquire(job, 10_000)));

    // Assess
    expect(handles.filter((handle) => handle !== undefined)).toHaveLength(1);
  });

  it('locks each job on its own', async () => {
    const lock = create();

    const [a, b] = await Promise.all([lock.acquire(`a-${randomUUID()}`, 10_000), lock.acquire(`b-${randomUUID()}`, 10_000)]);

    expect(a).toBeDefined();
    expect(b).toBeDefined();
  });

  it('is free again once released', async () => {
    const lock = create();
    const job = `job-${randomUUID()}`;
    const first = await lock.acquire(job, 10_000);

    expect(await first?.release()).toBe(true);
    expect(await lock.acquire(job, 10_000)).toBeDefined();
  });

  it('is taken over once its TTL has passed (a crashed run holds it no longer)', async () => {
    // Prepare: a holder that never releases
    const lock = create();
    const job = `job-${randomUUID()}`;
    expect(await lock.acquire(job, 100)).toBeDefined();
    expect(await lock.acquire(job, 100)).toBeUndefined();

    // Act
    await sleep(150);
    const next = await lock.acquire(job, 10_000);

    // Assess
    expect(next).toBeDefined();
  });

  it("never deletes someone else's lock when an expired holder releases", async () => {
    // Prepare: A's lock expires and B takes it over
    const lock = create();
    const job = `job-${randomUUID()}`;
    const a = await lock.acquire(job, 100);
    await sleep(150);
    const b = await lock.acquire(job, 10_000);

    // Act
    const releasedByA = await a?.release();

    // Assess: B still holds it
    expect(releasedByA).toBe(false);
    expect(await lock.acquire(job, 10_000)).toBeUndefined();
    expect(await b?.release()).toBe(true);
  });
});

describe('the Redis job lock', () => {
  it('stores the holder token under job_lock-style keys with a TTL of what it was given', async () => {
    const job = `job-${randomUUID()}`;

    const handle = await createRedisLock({ redis: rest(), prefix }).acquire(job, 30_000);

    expect(handle?.backend).toBe('redis');
    const ttl = await bridged.direct.pttl(`${prefix}${job}`);
    expect(ttl).toBeGreaterThan(25_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
    expect(await bridged.direct.get(`${prefix}${job}`)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('releases through EVAL when Redis has not cached the script (NOSCRIPT)', async () => {
    // Prepare: a client whose EVALSHA meets an empty script cache
    const client = rest();
    const evalCalls: string[] = [];
    const redis: LockRedis = {
      set: client.set,
      evalsha: () => Promise.reject(new upstashErrors.UpstashError('NOSCRIPT No matching script. Please use EVAL.')),
      eval: (script, keys, args) => {
        evalCalls.push(script);
        return client.eval(script, keys, args);
      },
    };
    const lock = createRedisLock({ redis, prefix });
    const job = `job-${randomUUID()}`;
    const handle = await lock.acquire(job, 10_000);

    // Act
    const released = await handle?.release();

    // Assess
    expect(released).toBe(true);
    expect(evalCalls).toEqual([RELEASE_LOCK_SCRIPT]);
    expect(await bridged.direct.exists(`${prefix}${job}`)).toBe(0);
  });
});

describe('the default job lock', () => {
  const saved = { ...process.env };

  afterEach(() => {
    process.env = { ...saved };
    vi.restoreAllMocks();
    resetConfig();
    resetLog();
    resetDefaultRedis();
    resetDefaultJobLock();
  });

  function configure(env: Record<string, string | undefined>): void {
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    resetConfig();
    resetLog();
    resetDefaultRedis();
    resetDefaultJobLock();
  }

  it('is Redis when Upstash is configured', async () => {
    configure({ UPSTASH_REDIS_REST_URL: bridged.bridge.url, UPSTASH_REDIS_REST_TOKEN: bridged.bridge.token });
    const job = `default-${randomUUID()}`;

    const handle = await defaultJobLock().acquire(job, 10_000);

    expect(handle?.backend).toBe('redis');
    expect(await bridged.direct.exists(`job_lock:${job}`)).toBe(1);
    expect(await handle?.release()).toBe(true);
  });

  it('is memory, shared by every caller of the process, without Upstash', async () => {
    configure({ UPSTASH_REDIS_REST_URL: undefined, UPSTASH_REDIS_REST_TOKEN: undefined });
    const job = `default-${randomUUID()}`;

    const handle = await defaultJobLock().acquire(job, 10_000);

    expect(handle?.backend).toBe('memory');
    expect(await defaultJobLock().acquire(job, 10_000)).toBeUndefined();
  });

  it('falls back to a lease in Postgres, never memory, when Redis fails, and says so in a metric and a log line', async () => {
    // Prepare: an Upstash URL where nothing listens; the shared database is the test's
    configure({ UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9', UPSTASH_REDIS_REST_TOKEN: 'unused', LOG_LEVEL: 'warn' });
    setDb(postgres.db);
    const warnings = captureLogLines('WARN');
    const job = `default-${randomUUID()}`;
    const before = await valueOf(jobLockFallbacks, { job });

    // Act
    const handle = await defaultJobLock().acquire(job, 10_000);

    // Assess: held in Postgres, where another container's lock sees it
    expect(handle?.backend).toBe('postgres');
    expect(await postgres.db.query(sql`SELECT job FROM job_leases WHERE job = ${job}`)).toEqual([{ job }]);
    expect(await createLeaseLock({ db: () => Promise.resolve(postgres.db) }).acquire(job, 10_000)).toBeUndefined();
    expect(await valueOf(jobLockFallbacks, { job })).toBe(before + 1);
    expect(warnings()).toEqual([expect.objectContaining({ job, reason: 'redis_unavailable' })]);
    expect(await handle?.release()).toBe(true);
    await resetDb();
  });

  it('refuses the run when Redis and the database both fail, rather than lock in memory', async () => {
    configure({ UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9', UPSTASH_REDIS_REST_TOKEN: 'unused', LOG_LEVEL: 'error' });
    const down: JobLock = createLeaseLock({ db: () => Promise.reject(new Error('database down')) });
    const redis = await connectRedis({ url: 'http://127.0.0.1:9', token: 'unused' });
    const lock = createFallbackLock({ primary: createRedisLock({ redis }), fallback: down });

    await expect(lock.acquire(`both-down-${randomUUID()}`, 10_000)).rejects.toThrow('database down');
  });

  it('falls back per acquisition only: a lock that works is used', async () => {
    const seen: string[] = [];
    const failing: JobLock = { acquire: () => Promise.reject(new Error('down')) };
    const lock = createFallbackLock({ primary: failing, fallback: createMemoryLock(), onFallback: (job) => seen.push(job) });

    const handle = await lock.acquire('fallback-job', 10_000);

    expect(handle?.backend).toBe('memory');
    expect(seen).toEqual(['fallback-job']);
  });
});
