// The rate-limit middleware on a real limiter with the memory store: headers on every limited
// response, 429 with Retry-After and the JSON shape, admin untouched, IP from API Gateway only.
import { describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../../../lib/http/app.js';
import { RateLimiter } from '../../../../../lib/ratelimit/limiter.js';
import { MemoryStore } from '../../../../../lib/ratelimit/memory-store.js';
import type { AppBindings } from '../../../../../lib/http/env.js';

function appWith(limit: number): { app: App; limiter: RateLimiter } {
  const limiter = new RateLimiter({ memory: new MemoryStore(), limits: { anonymous: limit, api_key: 10 * limit, premium: 50 * limit } });
  const app = createApp({ name: 'test', limiter: () => limiter });
  app.get('/thing', (c) => c.json({ ok: true }));
  return { app, limiter };
}

function fromIp(ip: string): AppBindings {
  return { event: { requestContext: { http: { sourceIp: ip } } } } as unknown as AppBindings;
}

describe('the rate-limit middleware', () => {
  it('counts down X-RateLimit-Remaining and refuses the request past the limit with 429', async () => {
    const { app } = appWith(3);
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i += 1) {
      last = await app.request('/thing', {}, fromIp('203.0.113.7'));
      statuses.push(last.status);
      if (i === 0) {
        expect(last.headers.get('x-ratelimit-limit')).toBe('3');
        expect(last.headers.get('x-ratelimit-remaining')).toBe('2');
        expect(Number(last.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
      }
    }

    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(last?.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(((await last?.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });

  it('keeps separate buckets per source IP and ignores X-Forwarded-For', async () => {
    const { app } = appWith(1);
    expect((await app.request('/thing', {}, fromIp('198.51.100.1'))).status).toBe(200);
    expect((await app.request('/thing', { headers: { 'x-forwarded-for': '10.9.9.9' } }, fromIp('198.51.100.1'))).status).toBe(429);
    expect((await app.request('/thing', {}, fromIp('198.51.100.2'))).status).toBe(200);
  });
});
