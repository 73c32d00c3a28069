// A cold container's first Redis decision (issue 13, point 6): the first connection pays DNS, TCP
// and TLS, simulated here by a real proxy in front of the Upstash bridge that holds what arrives in
// its first connection's first 80 ms (a set-up cost, paid once), more than the warm budget (50 ms). The first decision gets the cold-start
// budget and is decided by Redis, the next ones the warm budget; and the container's limiter opens
// its connection when it is built, before any decision.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '../../../../lib/config.js';
import { defaultLimiter, resetDefaultLimiter } from '../../../../lib/ratelimit/default-limiter.js';
import { RateLimiter } from '../../../../lib/ratelimit/limiter.js';
import { RedisStore } from '../../../../lib/ratelimit/redis-store.js';
import { createRedis } from '../../../../lib/redis/client.js';
import { captureLogLines } from '../../../support/capture-log.js';
import { useRedisBridge } from '../../../support/redis-bridge.js';
import { startBlackHole, startDelayProxy, type FaultServer } from '../../../support/tcp-faults.js';

const prefix = `test:cold:${randomUUID()}:`;
const redis = useRedisBridge(prefix);
const LIMITS = { anonymous: 100, api_key: 1000, premium: 5000 };

describe('the rate limiter on a cold container', () => {
  const saved = { ...process.env };
  let proxy: FaultServer | undefined;

  afterEach(async () => {
    vi.restoreAllMocks();
    process.env = { ...saved };
    resetConfig();
    resetDefaultLimiter();
    await proxy?.close();
    proxy = undefined;
  });

  it('decides its first call by Redis although the first connection takes 80 ms, over the 50 ms warm budget', async () => {
    // Prepare: no warm-up, so the first decision itself opens the slow connection.
    proxy = await startDelayProxy(redis.bridge.url, 80, { delayedConnections: 1, setupOnly: true });
    const client = createRedis({ url: proxy.url, token: redis.bridge.token });
    const limiter = new RateLimiter({ store: new RedisStore({ runner: client }), limits: LIMITS, timeoutMs: 50, coldStartTimeoutMs: 500, keyPrefix: prefix });

    // Act
    const first = await limiter.check('198.51.100.7', 'anonymous');
    const second = await limiter.check('198.51.100.7', 'anonymous');

    // Assess
    expect(first.reason).toBe('redis');
    expect(second.reason).toBe('redis');
    expect(second.remaining).toBe(98);
    expect(limiter.status().degraded).toBe(false);
  });

  it('gives the warm budget once Redis has answered: a later slow call falls back', async () => {
    // Prepare: every connection slow; the first call (cold budget) succeeds and keeps the connection alive.
    proxy = await startDelayProxy(redis.bridge.url, 80);
    const client = createRedis({ url: proxy.url, token: redis.bridge.token });
    const limiter = new RateLimiter({ store: new RedisStore({ runner: client }), limits: LIMITS, timeoutMs: 50, coldStartTimeoutMs: 500, keyPrefix: prefix });

    // Act
    const first = await limiter.check('198.51.100.8', 'anonymous');
    const second = await limiter.check('198.51.100.8', 'anonymous');

    // Assess
    expect(first.reason).toBe('redis');
    expect(second.reason).toBe('fallback');
  });

  it('gives one cold try only: against a hung Redis the first decision waits the cold budget, the next ones the warm one', async () => {
    // Prepare
    proxy = await startBlackHole();
    const client = createRedis({ url: proxy.url, token: 'nobody' });
    const limiter = new RateLimiter({ store: new RedisStore({ runner: client }), limits: LIMITS, timeoutMs: 50, coldStartTimeoutMs: 400, redisRetryMs: 0, keyPrefix: prefix, lateReplyMs: 100 });

    // Act
    let started = performance.now();
    const first = await limiter.check('198.51.100.9', 'anonymous');
    const firstMs = performance.now() - started;
    started = performance.now();
    const second = await limiter.check('198.51.100.9', 'anonymous');
    const secondMs = performance.now() - started;

    // Assess: both from memory; the first after the cold budget, the second after the warm one (not another cold one).
    expect([first.reason, second.reason]).toEqual(['fallback', 'fallback']);
    expect(firstMs).toBeGreaterThanOrEqual(390);
    expect(secondMs).toBeLessThan(390);
  });

  it('logs a failed warm-up once, without the URL or token', async () => {
    // Prepare: nothing listens there any more.
    const gone = await startBlackHole();
    const url = gone.url;
    await gone.close();
    process.env.UPSTASH_REDIS_REST_URL = url;
    process.env.UPSTASH_REDIS_REST_TOKEN = 'warm-up-secret-token';
    resetConfig();
    resetDefaultLimiter();
    const warnings = captureLogLines('WARN');

    // Act
    defaultLimiter();
    defaultLimiter();
    const deadline = Date.now() + 3000;
    while (warnings().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Assess
    const lines = warnings().filter((line) => String(line.message).includes('warm-up'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ error: 'TypeError', code: 'ECONNREFUSED' });
    expect(JSON.stringify(lines)).not.toMatch(/warm-up-secret-token|127\.0\.0\.1/);
  });

  it('opens the Redis connection when the container’s limiter is built, before any decision', async () => {
    // Prepare
    proxy = await startDelayProxy(redis.bridge.url, 0);
    process.env.UPSTASH_REDIS_REST_URL = proxy.url;
    process.env.UPSTASH_REDIS_REST_TOKEN = redis.bridge.token;
    resetConfig();
    resetDefaultLimiter();

    // Act
    defaultLimiter();
    const deadline = Date.now() + 3000;
    while (proxy.accepted === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));

    // Assess: the warm-up PING reached Redis through the proxy without a single check.
    expect(proxy.accepted).toBe(1);
  });
});
