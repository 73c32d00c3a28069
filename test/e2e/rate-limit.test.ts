// Rate limiting end to end through the local runtime: the real serverless.yml (100 a minute
// anonymous, 1,000 per api_key key, admin unlimited), real handlers, real HTTP, the in-memory
// limiter (no UPSTASH_* set). Every request of the runtime comes from 127.0.0.1, so the whole file
// shares one anonymous bucket: the tests run in order and later ones rely on it being empty.
//
// The bucket regains a token every 600 ms, so on a busy machine 100 requests could see a refill
// and the 101st pass. The runtime runs in this process, so the test holds its clock still
// (only `Date`; timers stay real) and moves it on by hand when it wants a refill.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetDefaultLimiter } from '../../lib/ratelimit/default-limiter.js';
import { E2E_START_TIMEOUT_MS, startE2eRuntime, type E2eRuntime } from '../support/e2e-runtime.js';
import { seedSignals } from '../support/signal-factory.js';

const ADMIN_KEY = `bootstrap-${randomBytes(24).toString('hex')}`;
const LIST = '/v1/signals?limit=1';

interface ErrorJson {
  error: { code: string; message: string; requestId: string };
}

/** The X-RateLimit-* headers of a response, as numbers (NaN when absent). */
function limits(response: Response): { limit: number; remaining: number; reset: number } {
  const read = (name: string): number => Number(response.headers.get(name) ?? Number.NaN);
  return { limit: read('x-ratelimit-limit'), remaining: read('x-ratelimit-remaining'), reset: read('x-ratelimit-reset') };
}

describe('rate limiting through the local runtime', () => {
  let runtime: E2eRuntime;

  beforeAll(async () => {
    // The limits of serverless.yml and the memory limiter: nothing from the developer's shell.
    const fromShell = Object.keys(process.env).filter((name) => name.startsWith('UPSTASH_') || name.startsWith('RATE_LIMIT_'));
    resetDefaultLimiter();
    runtime = await startE2eRuntime({
      env: { ...Object.fromEntries(fromShell.map((name) => [name, undefined])), ADMIN_API_KEY: ADMIN_KEY },
      seed: (db) => seedSignals(db, 5),
    });
    // Before the first request: the limiter, built on first use, reads this clock.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
  }, E2E_START_TIMEOUT_MS);

  afterAll(async () => {
    vi.useRealTimers();
    await runtime.close();
    resetDefaultLimiter();
  });

  function call(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${runtime.url}${path}`, init);
  }

  it('allows an anonymous caller 100 requests counting down, then refuses with 429 and Retry-After', async () => {
    // Act
    const responses: Response[] = [];
    for (let i = 0; i < 101; i += 1) {
      const response = await call(LIST);
      responses.push(response);
      await response.arrayBuffer();
    }

    // Assess: the first 100 pass, each one token fewer left.
    const allowed = responses.slice(0, 100);
    expect(allowed.map((response) => response.status)).toEqual(Array.from({ length: 100 }, () => 200));
    expect(allowed.map((response) => limits(response).limit)).toEqual(Array.from({ length: 100 }, () => 100));
    expect(allowed.map((response) => limits(response).remaining)).toEqual(Array.from({ length: 100 }, (_, i) => 99 - i));
    // Empty now, so full again in a minute (the clock has not moved).
    const resetMs = limits(allowed[99]!).reset * 1000;
    expect(resetMs).toBeGreaterThanOrEqual(Date.now() + 60_000);
    expect(resetMs).toBeLessThan(Date.now() + 61_001);

    // The 101st: refused, with when to come back and the error shape.
    const refused = await call(LIST);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limits(refused)).toMatchObject({ limit: 100, remaining: 0 });
    const body = (await refused.json()) as ErrorJson;
    expect(body.error).toMatchObject({ code: 'rate_limited', requestId: refused.headers.get('x-correlation-id') });
    expect(typeof body.error.message).toBe('string');
    expect(responses[100]!.status).toBe(429);
  });

  it('lets the anonymous caller in again once Retry-After has passed, for one token', async () => {
    const refused = await call(LIST);
    expect(refused.status).toBe(429);
    const retryAfterSeconds = Number(refused.headers.get('retry-after'));

    vi.setSystemTime(Date.now() + retryAfterSeconds * 1000);

    const again = await call(LIST);
    expect(again.status).toBe(200);
    expect(limits(again)).toMatchObject({ limit: 100, remaining: 0 });
    expect((await call(LIST)).status).toBe(429);
  });

  it('gives a created api_key-tier key 1,000 a minute in its own bucket, untouched by the anonymous one', async () => {
    // Prepare: the anonymous bucket is empty.
    expect((await call(LIST)).status).toBe(429);
    const created = await call('/v1/admin/keys', {
      method: 'POST',
      headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'e2e rate limit', tier: 'api_key' }),
    });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };

    // Act
    const remaining: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const response = await call(LIST, { headers: { 'x-api-key': key } });
      expect(response.status).toBe(200);
      expect(limits(response).limit).toBe(1000);
      remaining.push(limits(response).remaining);
    }

    // Assess: its own full bucket, and the anonymous one still empty.
    expect(remaining).toEqual([999, 998, 997, 996, 995]);
    expect((await call(LIST)).status).toBe(429);
  });

  it('never limits the admin key and sends it no X-RateLimit headers', async () => {
    expect((await call(LIST)).status).toBe(429);

    for (let i = 0; i < 150; i += 1) {
      const response = await call(LIST, { headers: { 'x-api-key': ADMIN_KEY } });
      expect(response.status).toBe(200);
      expect([...response.headers.keys()].filter((name) => name.startsWith('x-ratelimit-'))).toEqual([]);
      await response.arrayBuffer();
    }
  });
});
