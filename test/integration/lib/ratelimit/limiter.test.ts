// The limiter's fault handling on the real stack: our @upstash/redis client, the upstash-bridge, the
// machine's Redis, and the rate-limit middleware of a real app. The bridge is stopped and started
// again on the same port mid-test, and a server that accepts connections but never answers stands
// in for a Redis that hangs. Requests must always be answered (200, or 429 once the memory bucket
// is empty, never 5xx), each decision must say where it came from, and the limiter must go back
// to Redis by itself.
//
// The limiters here read an injected clock, so the circuit breaker (`redisRetryMs`) and the memory
// buckets move only when a test moves them; store calls and their time budget run in real time.
// Buckets live under a random key prefix (deleted afterwards) and every test uses its own random
// client IPs, so nothing is shared with other files or runs.
import { randomInt, randomUUID } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { Redis as IORedis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startUpstashBridge, type UpstashBridge } from '../../../../infra/local/upstash-bridge.js';
import { createApp, type App } from '../../../../lib/http/app.js';
import type { AppBindings } from '../../../../lib/http/env.js';
import { rateLimitFallbacks } from '../../../../lib/metrics/rate-limit-metrics.js';
import { registry } from '../../../../lib/metrics/registry.js';
import { bucketKey, hashIdentifier } from '../../../../lib/ratelimit/bucket-key.js';
import { RateLimiter, type RateLimiterOptions } from '../../../../lib/ratelimit/limiter.js';
import { RedisStore } from '../../../../lib/ratelimit/redis-store.js';
import { TOKEN_BUCKET_SCRIPT } from '../../../../lib/ratelimit/token-bucket.lua.js';
import { connectRedis, createRedis } from '../../../../lib/redis/client.js';
import { services } from '../../../support/services.js';
import { captureLogLines } from '../../../support/capture-log.js';
import { scanAll as scanKeys } from '../../../support/redis-scan.js';

const prefix = `test:ratelimit-fallback:${randomUUID()}:`;
const token = randomUUID();
/** Five a minute anonymous: the memory bucket empties within a test and never refills (clock held). */
const LIMITS = { anonymous: 5, api_key: 1000, premium: 5000 } as const;
/** The budget when Redis hangs. */
const HANG_BUDGET_MS = 50;
/**
 * The budget while Redis is up or refuses connections. Those decisions take a millisecond or two,
 * but a busy test machine can stall a localhost round trip past 50 ms, which would turn a decision
 * the test expects from Redis into a fallback.
 */
const UP_BUDGET_MS = 250;

let port: number;
let bridge: UpstashBridge | undefined;
let direct: IORedis;

/** A port that was free a moment ago, so the bridge can be started again on the same one. */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: found } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return found;
}

async function startBridge(): Promise<UpstashBridge> {
  bridge = await startUpstashBridge({ redisUrl: services.redisUrl, token, port });
  return bridge;
}

async function stopBridge(): Promise<void> {
  const running = bridge;
  bridge = undefined;
  await running?.close();
}

/** A client address of its own: a random private IPv4. */
function randomIp(): string {
  return `10.${String(randomInt(256))}.${String(randomInt(256))}.${String(randomInt(1, 255))}`;
}

/** What API Gateway hands the app: only the source IP matters here. */
function fromIp(ip: string): AppBindings {
  return { event: { requestContext: { http: { sourceIp: ip } } } } as unknown as AppBindings;
}

/** A limiter on our Upstash client against `url`, with a clock the test moves. */
function limiterAt(url: string, options: Partial<RateLimiterOptions> = {}): { limiter: RateLimiter; clock: { now: number } } {
  const clock = { now: Date.now() };
  const limiter = new RateLimiter({
    store: new RedisStore({ runner: createRedis({ url, token }) }),
    limits: LIMITS,
    timeoutMs: UP_BUDGET_MS,
    keyPrefix: prefix,
    now: () => clock.now,
    // The whole bucket in the fallback: these tests are about the fault handling; the share (and
    // the bound it gives across containers) is tested in limiter.containers.test.ts.
    fallbackShare: 1,
    ...options,
  });
  return { limiter, clock };
}

function appWith(limiter: RateLimiter): App {
  const app = createApp({ name: 'fault', limiter: () => limiter });
  app.get('/thing', (c) => c.json({ ok: true }));
  return app;
}

async function fallbacks(): Promise<number> {
  return (await rateLimitFallbacks.get()).values[0]?.value ?? 0;
}

/** Warnings the logger writes from now on, parsed (they go to stderr). */
const captureWarnings = (): (() => Record<string, unknown>[]) => captureLogLines('WARN');

const scanAll = (match: string): Promise<string[]> => scanKeys(direct, match);

beforeAll(async () => {
  port = await freePort();
  await startBridge();
  direct = new IORedis(services.redisUrl);
  // Cached up front: every decision is then one EVALSHA, well inside the budget.
  await (await connectRedis({ url: `http://127.0.0.1:${String(port)}`, token })).scriptLoad(TOKEN_BUCKET_SCRIPT);
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  await stopBridge();
  const keys = await scanAll(`${prefix}*`);
  if (keys.length > 0) await direct.del(...keys);
  direct.disconnect();
});

describe('the bucket keys in Redis', () => {
  it('name the SHA-256 of the identifier, never the raw IP or key id', async () => {
    // Prepare: a prefix of this test's own, so the scan below sees only its keys.
    const own = `${prefix}keys:`;
    const { limiter } = limiterAt(`http://127.0.0.1:${String(port)}`, { keyPrefix: own });
    const app = appWith(limiter);
    const ip = randomIp();
    const keyId = randomUUID();

    // Act: an anonymous request through the middleware, and an api_key decision.
    expect((await app.request('/thing', {}, fromIp(ip))).status).toBe(200);
    expect(await limiter.check(keyId, 'api_key')).toMatchObject({ allowed: true, reason: 'redis' });

    // Assess
    const keys = await scanAll(`${own}*`);
    expect(keys.sort()).toEqual([bucketKey(ip, 'anonymous', own), bucketKey(keyId, 'api_key', own)].sort());
    expect(keys).toContain(`${own}rate_limit:${hashIdentifier(ip)}:anonymous`);
    expect(hashIdentifier(ip)).toMatch(/^[0-9a-f]{64}$/);
    expect(await scanAll(`*${ip}*`)).toEqual([]);
    expect(await scanAll(`*${keyId}*`)).toEqual([]);
  });
});

describe('the limiter when Redis goes away and comes back', () => {
  // One limiter through the whole story, as in a warm Lambda container.
  let current: ReturnType<typeof limiterAt>;
  let app: App;

  beforeAll(() => {
    current = limiterAt(`http://127.0.0.1:${String(port)}`);
    app = appWith(current.limiter);
  });

  it('decides from Redis while the bridge answers', async () => {
    // Prepare
    const ip = randomIp();
    const before = await fallbacks();

    // Act
    const responses = [];
    for (let i = 0; i < 3; i += 1) responses.push(await app.request('/thing', {}, fromIp(ip)));
    const decision = await current.limiter.check(ip, 'anonymous');

    // Assess
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(responses.map((r) => r.headers.get('x-ratelimit-limit'))).toEqual(['5', '5', '5']);
    expect(responses.map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['4', '3', '2']);
    expect(decision).toMatchObject({ allowed: true, remaining: 1, reason: 'redis' });
    // The bucket is in Redis, one token left.
    expect(Math.floor(Number(await direct.hget(bucketKey(ip, 'anonymous', prefix), 'tokens')))).toBe(1);
    expect(current.limiter.status()).toEqual({ backend: 'redis', degraded: false });
    expect(await fallbacks()).toBe(before);
  });

  it('answers from memory once the bridge is stopped: 200s, then 429 when the memory bucket is empty, never 5xx', async () => {
    // Prepare
    const warnings = captureWarnings();
    const ip = randomIp();
    const before = await fallbacks();
    await stopBridge();

    // Act: eight requests against a memory bucket of five.
    const responses = [];
    for (let i = 0; i < 8; i += 1) responses.push(await app.request('/thing', {}, fromIp(ip)));
    const decision = await current.limiter.check(randomIp(), 'anonymous');

    // Assess
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(responses.map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0', '0', '0', '0']);
    expect(Number(responses[5]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await responses[5]?.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(decision).toMatchObject({ allowed: true, reason: 'fallback' });
    expect(await fallbacks()).toBe(before + 9);
    expect(await registry.getSingleMetricAsString('rate_limit_fallback_total')).toContain(`rate_limit_fallback_total ${String(before + 9)}`);
    expect(current.limiter.status()).toMatchObject({ backend: 'redis', degraded: true, lastError: expect.stringMatching(/^fetch failed: .*ECONNREFUSED/) as unknown });
    // Logged once, not once per request, with the cause.
    const logged = warnings();
    expect(logged).toEqual([
      expect.objectContaining({ message: 'rate limiter deciding from memory: Redis failed', reason: 'redis_unavailable' }),
    ]);
    expect(JSON.stringify(logged[0]?.error)).toContain('ECONNREFUSED');
  });

  it('goes back to Redis by itself once the bridge is back on the same port and the retry pause is over', async () => {
    // Prepare
    const ip = randomIp();
    await startBridge();

    // Act + Assess: inside the pause after the last failure, memory still decides, without a call.
    expect(await current.limiter.check(ip, 'anonymous')).toMatchObject({ reason: 'fallback' });
    expect(current.limiter.status().degraded).toBe(true);

    current.clock.now += 1_000; // the default redisRetryMs
    expect(await current.limiter.check(ip, 'anonymous')).toMatchObject({ allowed: true, remaining: 4, reason: 'redis' });
    expect(current.limiter.status()).toMatchObject({ backend: 'redis', degraded: false });

    const response = await app.request('/thing', {}, fromIp(ip));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-remaining')).toBe('3');
    expect(await direct.exists(bucketKey(ip, 'anonymous', prefix))).toBe(1);
  });
});

describe('the limiter when Redis hangs', () => {
  let hangUrl: string;
  const sockets = new Set<Socket>();
  let accepted = 0;
  const hanging = createHttpServer(() => {
    // Reads the request and never answers.
  });
  hanging.on('connection', (socket: Socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    hangUrl = `http://127.0.0.1:${String((hanging.address() as AddressInfo).port)}`;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => hanging.close(() => resolve()));
  });

  it('decides every request from memory within the time budget, with one call left hanging, not one per request', async () => {
    // Prepare: the store is tried on every decision.
    const warnings = captureWarnings();
    const { limiter } = limiterAt(hangUrl, { timeoutMs: HANG_BUDGET_MS, redisRetryMs: 0 });
    const app = appWith(limiter);
    const ip = randomIp();
    const before = await fallbacks();

    // Act
    const timed: { status: number; ms: number }[] = [];
    for (let i = 0; i < 7; i += 1) {
      const started = performance.now();
      const response = await app.request('/thing', {}, fromIp(ip));
      timed.push({ status: response.status, ms: performance.now() - started });
    }

    // Assess
    expect(timed.map((t) => t.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
    for (const { ms } of timed) {
      expect(ms).toBeGreaterThanOrEqual(HANG_BUDGET_MS - 2);
      expect(ms).toBeLessThan(HANG_BUDGET_MS + 150);
    }
    expect(accepted).toBeGreaterThanOrEqual(1);
    expect(await fallbacks()).toBe(before + 7);
    expect(limiter.status()).toMatchObject({ degraded: true, lastError: `rate-limit store did not answer within ${String(HANG_BUDGET_MS)} ms` });
    expect(warnings()).toEqual([expect.objectContaining({ reason: 'redis_timeout', timeoutMs: HANG_BUDGET_MS })]);
    // One call per bucket in flight: the later decisions wait behind it (and fall back), so the
    // calls do not pile up on the hung server; the one in flight is aborted after lateReplyMs.
    expect(sockets.size).toBeLessThan(timed.length);
  });

  it('waits out the budget once, then skips the store for the retry pause', async () => {
    const warnings = captureWarnings();
    const { limiter, clock } = limiterAt(hangUrl, { timeoutMs: HANG_BUDGET_MS });
    const ip = randomIp();

    const timedCheck = async (): Promise<{ reason: string; ms: number }> => {
      const started = performance.now();
      const { reason } = await limiter.check(ip, 'anonymous');
      return { reason, ms: performance.now() - started };
    };

    const first = await timedCheck();
    const next = [await timedCheck(), await timedCheck(), await timedCheck()];
    clock.now += 1_000;
    const retried = await timedCheck();

    expect(first.reason).toBe('fallback');
    expect(first.ms).toBeGreaterThanOrEqual(HANG_BUDGET_MS - 2);
    for (const decision of next) {
      expect(decision.reason).toBe('fallback');
      expect(decision.ms).toBeLessThan(HANG_BUDGET_MS / 2);
    }
    expect(retried.reason).toBe('fallback');
    expect(retried.ms).toBeGreaterThanOrEqual(HANG_BUDGET_MS - 2);
    expect(warnings()).toHaveLength(1); // at most one a minute
  });
});
