// A cold container's first Redis decision (issue 13, point 6): the first connection pays DNS, TCP
// and TLS, simulated here by a real proxy in front of the Upstash bridge that holds what arrives in
// its first connection's first 80 ms (a set-up cost, paid once), more than the warm budget (50 ms). The first decision gets the cold-start
// budget and is decided by Redis, the next ones the warm budget; and the container's limiter opens
// its connection when it is built, before any decision.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { resetConfig } from '../../../../lib/config.js';
import { defaultLimiter, resetDefaultLimiter } from '../../../../lib/ratelimit/default-limiter.js';
import { RateLimiter } from '../../../../lib/ratelimit/limiter.js';
import { RedisStore } from '../../../../lib/ratelimit/redis-store.js';
import { createRedis } from '../../../../lib/redis/client.js';
import { useRedisBridge } from '../../../support/redis-bridge.js';
import { startDelayProxy, type FaultServer } from '../../../support/tcp-faults.js';

const prefix = `test:cold:${randomUUID()}:`;
const redis = useRedisBridge(prefix);
const LIMITS = { anonymous: 100, api_key: 1000, premium: 5000 };

describe('the rate limiter on a cold container', () => {
  const saved = { ...process.env };
  let proxy: FaultServer | undefined;

  afterEach(async () => {
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
