import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiKeyLookup } from '../../../../../lib/auth/key-store.js';
import type { Tier } from '../../../../../lib/model/tiers.js';
import { resetConfig } from '../../../../../lib/config.js';
import { createApp, type App } from '../../../../../lib/http/app.js';
import { authenticate, type AuthenticateOptions } from '../../../../../lib/http/middleware/authenticate.js';
import { requireTier } from '../../../../../lib/http/middleware/require-tier.js';
import type { ErrorBody } from '../../../../../lib/http/errors.js';
import { clearSecretValues, resetLog } from '../../../../../lib/log/index.js';
import { cacheHits, cacheMisses } from '../../../../../lib/metrics/cache-metrics.js';
import { registry } from '../../../../../lib/metrics/registry.js';
import { MemoryKeyStore } from '../../../../support/memory-key-store.js';
import { valueOf } from '../../../../support/metric-values.js';
import { captureOutput } from '../../../../support/capture-log.js';
import { manualClock } from '../../../../support/manual-clock.js';

/** Not in our key format on purpose: the bootstrap key is whatever the operator configured. */
const ADMIN_KEY = 'bootstrap-admin-key-0123456789abcdef';

interface Whoami {
  tier: Tier;
  keyId: string | null;
}

/**
 * An app with `authenticate` in front of every route: `/whoami` echoes the caller, `/keyed`,
 * `/premium` and `/admin` need those tiers. Options default to a 30 s TTL and no bootstrap key.
 */
function buildApp(store: ApiKeyLookup, options: Partial<AuthenticateOptions> = {}): App {
  const app = createApp({ name: 'test' });
  app.use(authenticate({ lookup: () => store, ttlMs: 30_000, ...options }));
  app.get('/whoami', (c) => {
    const caller = c.get('caller');
    return c.json({ tier: caller.tier, keyId: caller.keyId ?? null });
  });
  app.get('/keyed', requireTier('api_key'), (c) => c.json({ ok: true }));
  app.get('/premium', requireTier('premium'), (c) => c.json({ ok: true }));
  app.get('/admin', requireTier('admin'), (c) => c.json({ ok: true }));
  return app;
}

function get(app: App, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(app.request(`http://localhost${path}`, { headers }));
}

async function whoami(response: Response): Promise<Whoami> {
  expect(response.status).toBe(200);
  return (await response.json()) as Whoami;
}

async function errorOf(response: Response): Promise<ErrorBody['error']> {
  return ((await response.json()) as ErrorBody).error;
}

const ENV_NAMES = ['ADMIN_API_KEY', 'API_KEY_CACHE_TTL_MS', 'LOG_LEVEL', 'CORS_ALLOWED_ORIGINS'] as const;

describe('auth middleware', () => {
  const savedEnv = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));

  beforeEach(() => {
    delete process.env.ADMIN_API_KEY;
    delete process.env.API_KEY_CACHE_TTL_MS;
    resetConfig();
    resetLog();
    captureOutput();
  });

  afterEach(() => {
    vi.restoreAllMocks();
    for (const name of ENV_NAMES) {
      const saved = savedEnv[name];
      if (saved === undefined) delete process.env[name];
      else process.env[name] = saved;
    }
    clearSecretValues();
    resetConfig();
    resetLog();
  });

  describe('authenticate', () => {
    it('treats a request without a key as anonymous, without opening the store', async () => {
      // Prepare
      const store = new MemoryKeyStore();
      const lookup = vi.fn(() => store);
      const app = buildApp(store, { lookup });

      // Act
      const response = await get(app, '/whoami');

      // Assess
      expect(await whoami(response)).toEqual({ tier: 'anonymous', keyId: null });
      expect(lookup).not.toHaveBeenCalled();
    });

    it('accepts a key in X-API-Key', async () => {
      // Prepare
      const store = new MemoryKeyStore();
      const { key, record } = store.add({ tier: 'premium' });
      const app = buildApp(store);

      // Act
      const response = await get(app, '/whoami', { 'X-API-Key': key });

      // Assess
      expect(await whoami(response)).toEqual({ tier: 'premium', keyId: record.id });
    });

    it.each(['Bearer', 'bearer', 'BEARER'])('accepts a key in Authorization with the scheme spelt %s', async (scheme) => {
      // Prepare
      const store = new MemoryKeyStore();
      const { key, record } = store.add();
      const app = buildApp(store);

      // Act
      const response = await get(app, '/whoami', { Authorization: `${scheme} ${key}` });

      // Assess
      expect(await whoami(response)).toEqual({ tier: 'api_key', keyId: record.id });
    });

    it('accepts the same key in both headers', async () => {
      // Prepare
      const store = new MemoryKeyStore();
      const { key, record } = store.add();
      const app = buildApp(store);

      // Act
      const response = await get(app, '/whoami', { 'X-API-Key': key, Authorization: `Bearer ${key}` });

      // Assess
      expect(await whoami(response)).toEqual({ tier: 'api_key', keyId: record.id });
    });

    it('answers 400 in the error shape when the two headers carry different keys', async () => {
      // Prepare
      const store = new MemoryKeyStore();
      const first = store.add();
      const second = store.add();
      const app = buildApp(store);

      // Act
      const response = await get(app, '/whoami', {
        'X-API-Key': first.key,
        Authorization: `Bearer ${second.key}`,
        'x-correlation-id': 'cid-both',
      });

      // Assess
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toEqual({
        code: 'bad_request',
        message: 'X-API-Key and Authorization carry different keys; send one',
        requestId: 'cid-both',
      });
      expect(store.calls.findByHash).toBe(0);
    });

    it('ignores an Authorization header with another scheme', async () => {
      // Prepare
      const store = new MemoryKeyStore();
      const app = buildApp(store);

      // Act
      const response = await get(app, '/whoami', { Authorization: 'Basic dXNlcjpwYXNz' });

      // Assess
      expect(await whoami(response)).toEqual({ tier: 'anonymous', keyId: null });
    });

    it.each([
      ['a value that is not a key', { 'X-API-Key': 'not-a-key' }],
      ['an empty X-API-Key', { 'X-API-Key': '' }],
      ['a Bearer scheme without a token', { Authorization: 'Bearer' }],
      ['a key one character short', { 'X-API-Key': `shk_${'A'.repeat(42)}` }],
    ])('answers 403 "invalid API key" to %s without asking the store', async (_why, headers) => {
      // Prepare
      const store = new MemoryKeyStore();
      const lookup = vi.fn(() => store);
      const app = buildApp(store, { lookup });

      // Act
      const response = await get(app, '/whoami', headers);

      // Assess
      expect(response.status).toBe(403);
      expect(await errorOf(response)).toMatchObject({ code: 'forbidden', message: 'invalid API key' });
      expect(lookup).not.toHaveBeenCalled();
    });

    it('answers 403 "invalid API key" in the error shape to a well-formed key the store does not know', async () => {
      // Prepare
      const store = new MemoryKeyStore();
      const app = buildApp(store);

      // Act
      const response = await get(app, '/whoami', { 'X-API-Key': `shk_${'A'.repeat(43)}`, 'x-correlation-id': 'cid-403' });

      // Assess
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await errorOf(response)).toEqual({ code: 'forbidden', message: 'invalid API key', requestId: 'cid-403' });
      expect(store.calls.findByHash).toBe(1);
    });

    it('answers 403 "API key revoked" to a revoked key', async () => {
      // Prepare
      const store = new MemoryKeyStore();
      const { key } = store.add({ revoked: true });
      const app = buildApp(store);

      // Act
      const response = await get(app, '/whoami', { 'X-API-Key': key });

      // Assess
      expect(response.status).toBe(403);
      expect(await errorOf(response)).toMatchObject({ code: 'forbidden', message: 'API key revoked' });
      expect(store.calls.touch).toBe(0);
    });

    it.each([
      ['X-API-Key', { 'X-API-Key': ADMIN_KEY }],
      ['a Bearer token', { Authorization: `Bearer ${ADMIN_KEY}` }],
    ])('lets the bootstrap admin key in %s through as admin without opening the store', async (_how, headers) => {
      // Prepare
      const store = new MemoryKeyStore();
      const lookup = vi.fn(() => store);
      const app = buildApp(store, { lookup, adminKey: ADMIN_KEY });

      // Act
      const response = await get(app, '/whoami', headers);

      // Assess
      expect(await whoami(response)).toEqual({ tier: 'admin', keyId: 'bootstrap' });
      expect(lookup).not.toHaveBeenCalled();
    });

    it('logs the bootstrap admin key at most once per container, not per request', async () => {
      // Prepare: info lines captured (earlier tests of this process may have logged the one line)
      process.env.LOG_LEVEL = 'info';
      resetConfig();
      resetLog();
      const output = captureOutput();
      const app = buildApp(new MemoryKeyStore(), { adminKey: ADMIN_KEY });

      // Act
      for (let i = 0; i < 20; i += 1) await (await get(app, '/whoami', { 'X-API-Key': ADMIN_KEY })).arrayBuffer();

      // Assess
      const lines = output().split('\n').filter((line) => line.includes('bootstrap admin key used'));
      expect(lines.length).toBeLessThanOrEqual(1);
    });

    it('reads the bootstrap admin key from ADMIN_API_KEY by default', async () => {
      // Prepare
      process.env.ADMIN_API_KEY = ADMIN_KEY;
      resetConfig();
      const store = new MemoryKeyStore();
      const app = buildApp(store);

      // Act
      const response = await get(app, '/admin', { 'X-API-Key': ADMIN_KEY });

      // Assess
      expect(response.status).toBe(200);
    });

    it('refuses the bootstrap value when no admin key is configured', async () => {
      // Prepare
      const store = new MemoryKeyStore();
      const app = buildApp(store);

      // Act
      const response = await get(app, '/whoami', { 'X-API-Key': ADMIN_KEY });

      // Assess
      expect(response.status).toBe(403);
    });

    it('refuses a value that differs from the bootstrap key in its last character', async () => {
      // Prepare
      const store = new MemoryKeyStore();
      const app = buildApp(store, { adminKey: ADMIN_KEY });

      // Act
      const response = await get(app, '/whoami', { 'X-API-Key': `${ADMIN_KEY.slice(0, -1)}X` });

      // Assess
      expect(response.status).toBe(403);
    });
  });

  describe('caching', () => {
    it('asks the store once for many requests with the same key', async () => {
      // Prepare
      const store = new MemoryKeyStore();
      const { key } = store.add();
      const app = buildApp(store);

      // Act
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await get(app, '/whoami', { 'X-API-Key': key })).status);

      // Assess
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      expect(store.calls.findByHash).toBe(1);
    });

    it('counts answers from the cache as hits and store look-ups as misses, known or unknown keys alike', async () => {
      // Prepare
      registry.resetMetrics();
      const store = new MemoryKeyStore();
      const { key } = store.add();
      const unknownKey = `shk_${'Y'.repeat(43)}`;
      const app = buildApp(store);

      // Act
      for (let i = 0; i < 3; i++) await get(app, '/whoami', { 'X-API-Key': key });
      for (let i = 0; i < 2; i++) await get(app, '/whoami', { 'X-API-Key': unknownKey });
      await get(app, '/whoami');

      // Assess
      expect(await valueOf(cacheMisses, { cache_type: 'memory', cache_name: 'api_key' })).toBe(2);
      expect(await valueOf(cacheHits, { cache_type: 'memory', cache_name: 'api_key' })).toBe(3);
      expect(store.calls.findByHash).toBe(2);
    });

    it('refuses a revoked key once the TTL has passed, and not before', async () => {
      // Prepare
      const clock = manualClock();
      const store = new MemoryKeyStore();
      const { key, record } = store.add();
      const app = buildApp(store, { ttlMs: 30_000, now: clock.now });
      await get(app, '/whoami', { 'X-API-Key': key });
      store.revoke(record.id);

      // Act
      clock.advance(29_999);
      const withinTtl = await get(app, '/whoami', { 'X-API-Key': key });
      clock.advance(1);
      const afterTtl = await get(app, '/whoami', { 'X-API-Key': key });

      // Assess
      expect(withinTtl.status).toBe(200);
      expect(afterTtl.status).toBe(403);
      expect(await errorOf(afterTtl)).toMatchObject({ message: 'API key revoked' });
      expect(store.calls.findByHash).toBe(2);
    });

    it('remembers an unknown key for 5 seconds, then asks again', async () => {
      // Prepare
      const clock = manualClock();
      const store = new MemoryKeyStore();
      const unknownKey = `shk_${'Z'.repeat(43)}`;
      const app = buildApp(store, { ttlMs: 30_000, now: clock.now });

      // Act
      for (let i = 0; i < 10; i++) await get(app, '/whoami', { 'X-API-Key': unknownKey });
      const callsWithin = store.calls.findByHash;
      clock.advance(5_000);
      const after = await get(app, '/whoami', { 'X-API-Key': unknownKey });

      // Assess
      expect(callsWithin).toBe(1);
      expect(after.status).toBe(403);
      expect(store.calls.findByHash).toBe(2);
    });

    it('remembers an unknown key no longer than a TTL shorter than 5 seconds', async () => {
      // Prepare
      const clock = manualClock();
      const store = new MemoryKeyStore();
      const unknownKey = `shk_${'Y'.repeat(43)}`;
      const app = buildApp(store, { ttlMs: 1_000, now: clock.now });
      await get(app, '/whoami', { 'X-API-Key': unknownKey });

      // Act
      clock.advance(1_000);
      await get(app, '/whoami', { 'X-API-Key': unknownKey });

      // Assess
      expect(store.calls.findByHash).toBe(2);
    });

    it('takes the TTL from API_KEY_CACHE_TTL_MS by default; 0 asks the store every time', async () => {
      // Prepare
      process.env.API_KEY_CACHE_TTL_MS = '0';
      resetConfig();
      const store = new MemoryKeyStore();
      const { key } = store.add();
      const app = createApp({ name: 'test' });
      app.use(authenticate({ lookup: () => store }));
      app.get('/whoami', (c) => c.json({}));

      // Act
      for (let i = 0; i < 3; i++) await get(app, '/whoami', { 'X-API-Key': key });

      // Assess
      expect(store.calls.findByHash).toBe(3);
    });

    it('answers 503 when the store fails, and asks again on the next request', async () => {
      // Prepare
      const store = new MemoryKeyStore();
      const { key } = store.add();
      store.failWith = new Error('connection refused to 10.0.0.9');
      const app = buildApp(store);

      // Act
      const failed = await get(app, '/whoami', { 'X-API-Key': key });
      store.failWith = undefined;
      const recovered = await get(app, '/whoami', { 'X-API-Key': key });

      // Assess
      expect(failed.status).toBe(503);
      expect(await errorOf(failed)).toMatchObject({ code: 'service_unavailable', message: 'service unavailable' });
      expect(recovered.status).toBe(200);
      expect(store.calls.findByHash).toBe(2);
    });
  });

  describe('last-used time', () => {
    it('touches a key on its first use and then at most once a minute', async () => {
      // Prepare
      const clock = manualClock();
      const store = new MemoryKeyStore();
      const { key, record } = store.add();
      const app = buildApp(store, { now: clock.now });

      // Act
      await get(app, '/whoami', { 'X-API-Key': key });
      const lastUsed = store.get(record.id)?.lastUsedAt;
      clock.advance(59_999);
      await get(app, '/whoami', { 'X-API-Key': key });
      const touchesWithinMinute = store.calls.touch;
      clock.advance(1);
      await get(app, '/whoami', { 'X-API-Key': key });

      // Assess
      expect(lastUsed).toBeInstanceOf(Date);
      expect(touchesWithinMinute).toBe(1);
      expect(store.calls.touch).toBe(2);
    });

    it('lets the request through when touching fails', async () => {
      // Prepare
      const store = new MemoryKeyStore();
      const { key } = store.add();
      store.touch = () => Promise.reject(new Error('write timeout'));
      const app = buildApp(store);

      // Act
      const response = await get(app, '/whoami', { 'X-API-Key': key });

      // Assess
      expect(response.status).toBe(200);
    });

    it('works with a store that has no touch', async () => {
      // Prepare
      const store = new MemoryKeyStore();
      const { key, record } = store.add();
      const readOnly: ApiKeyLookup = { findByHash: (hash) => store.findByHash(hash) };
      const app = buildApp(readOnly);

      // Act
      const response = await get(app, '/whoami', { 'X-API-Key': key });

      // Assess
      expect(await whoami(response)).toEqual({ tier: 'api_key', keyId: record.id });
    });
  });

  describe('requireTier', () => {
    it('answers an anonymous caller 401 with WWW-Authenticate: Bearer in the error shape', async () => {
      // Prepare
      const app = buildApp(new MemoryKeyStore());

      // Act
      const response = await get(app, '/keyed', { 'x-correlation-id': 'cid-401' });

      // Assess
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await errorOf(response)).toEqual({
        code: 'unauthorized',
        message: 'this route needs an API key',
        requestId: 'cid-401',
      });
    });

    it('answers a key of too low a tier 403, without WWW-Authenticate', async () => {
      // Prepare
      const store = new MemoryKeyStore();
      const { key } = store.add({ tier: 'api_key' });
      const app = buildApp(store);

      // Act
      const response = await get(app, '/premium', { 'X-API-Key': key });

      // Assess
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toBeNull();
      expect(await errorOf(response)).toMatchObject({ code: 'forbidden', message: 'this route needs the premium tier' });
    });

    it.each(['premium', 'admin'] as const)('lets a %s key through to a premium route', async (tier) => {
      // Prepare
      const store = new MemoryKeyStore();
      const { key } = store.add({ tier });
      const app = buildApp(store);

      // Act
      const response = await get(app, '/premium', { 'X-API-Key': key });

      // Assess
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
    });

    it('fails with a 500 when mounted without authenticate, rather than letting the request through', async () => {
      // Prepare
      const app = createApp({ name: 'test' });
      app.get('/keyed', requireTier('api_key'), (c) => c.json({ ok: true }));

      // Act
      const response = await get(app, '/keyed');

      // Assess
      expect(response.status).toBe(500);
    });
  });

  describe('logging', () => {
    it('never writes a key to the log, even at debug level', async () => {
      // Prepare
      vi.restoreAllMocks();
      const output = captureOutput();
      process.env.LOG_LEVEL = 'debug';
      resetConfig();
      resetLog();
      const store = new MemoryKeyStore();
      const valid = store.add({ tier: 'api_key' });
      const revoked = store.add({ revoked: true });
      const failing = store.add();
      const unknownKey = `shk_${'Q'.repeat(43)}`;
      const malformed = 'sk-live-some-other-secret-1234567890';
      const app = buildApp(store, { adminKey: ADMIN_KEY });

      // Act
      await get(app, '/whoami', { 'X-API-Key': valid.key });
      await get(app, '/premium', { Authorization: `Bearer ${valid.key}` });
      await get(app, '/whoami', { 'X-API-Key': revoked.key });
      await get(app, '/whoami', { 'X-API-Key': unknownKey });
      await get(app, '/whoami', { 'X-API-Key': malformed });
      await get(app, '/admin', { 'X-API-Key': ADMIN_KEY });
      await get(app, '/whoami', { 'X-API-Key': valid.key, Authorization: `Bearer ${unknownKey}` });
      store.failWith = new Error('store down');
      await get(app, '/whoami', { 'X-API-Key': failing.key });

      // Assess
      const written = output();
      for (const secret of [valid.key, revoked.key, failing.key, unknownKey, malformed, ADMIN_KEY]) {
        expect(written).not.toContain(secret);
      }
      // Nothing had to be masked: the keys were never handed to the logger at all.
      expect(written).not.toContain('[REDACTED]');
      // The lines were written, and they name keys by id and prefix.
      expect(written).toContain(`"key_id":"${valid.record.id}"`);
      expect(written).toContain(`"key_prefix":"${valid.record.prefix}"`);
      expect(written).toContain('"reason":"revoked"');
      expect(written).toContain('"reason":"malformed"');
      expect(written).toContain('"reason":"store_error"');
    });
  });
});
