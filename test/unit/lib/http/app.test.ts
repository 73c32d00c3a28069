import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '../../../../lib/config.js';
import { RateLimitedError, ServiceUnavailableError, ValidationError } from '../../../../lib/errors.js';
import { createApp, type App } from '../../../../lib/http/app.js';
import type { ErrorBody } from '../../../../lib/http/errors.js';
import { resetLog } from '../../../../lib/log/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function buildApp(): App {
  const app = createApp({ name: 'test' });
  app.get('/ok', (c) => c.json({ ok: true }));
  app.get('/items/:id', (c) => c.json({ id: c.req.param('id') }));
  app.get('/invalid', () => {
    throw new ValidationError('bad', { details: { field: 'x' } });
  });
  app.get('/crash', () => {
    throw new Error('db password=hunter2 at host');
  });
  app.get('/unavailable', () => {
    throw new ServiceUnavailableError('redis at 10.0.0.7 timed out');
  });
  app.get('/limited', () => {
    throw new RateLimitedError(17);
  });
  app.get('/not-an-error', () => {
    // What a socket library may reject with: an event object, not an Error (Hono's onError skips it).
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- the point of the test
    throw { type: 'error', message: 'connect ECONNREFUSED 127.0.0.1:5432' };
  });
  return app;
}

async function errorBody(response: Response): Promise<ErrorBody> {
  return (await response.json()) as ErrorBody;
}

/** Keeps the access and error log lines out of the test output. */
function silenceLogs(): void {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
}

describe('createApp', () => {
  const savedOrigins = process.env.CORS_ALLOWED_ORIGINS;

  beforeEach(() => {
    delete process.env.CORS_ALLOWED_ORIGINS;
    resetConfig();
    resetLog();
    silenceLogs();
  });

  afterEach(() => {
    vi.restoreAllMocks();
    if (savedOrigins === undefined) delete process.env.CORS_ALLOWED_ORIGINS;
    else process.env.CORS_ALLOWED_ORIGINS = savedOrigins;
    resetConfig();
    resetLog();
  });

  describe('a successful request', () => {
    it('answers 200 with the route body and the security headers', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request('http://localhost/ok');

      // Assess
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
      expect(response.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cache-control')).toBe('no-store');
    });

    it('keeps a Cache-Control the route chose', async () => {
      // Prepare
      const app = createApp({ name: 'test' });
      app.get('/cached', (c) => {
        c.header('Cache-Control', 'public, max-age=60');
        return c.json({});
      });

      // Act
      const response = await app.request('http://localhost/cached');

      // Assess
      expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    });

    it('echoes a safe x-correlation-id from the request', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request('http://localhost/ok', { headers: { 'x-correlation-id': 'req-42.a:b_c' } });

      // Assess
      expect(response.headers.get('x-correlation-id')).toBe('req-42.a:b_c');
    });

    it('generates a uuid correlation id when the request has none', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request('http://localhost/ok');

      // Assess
      expect(response.headers.get('x-correlation-id')).toMatch(UUID);
    });

    it.each([
      ['contains spaces', 'evil id'],
      ['is 200 characters long', 'a'.repeat(200)],
      ['carries markup', '<script>'],
    ])('replaces an offered correlation id that %s with a generated one', async (_why, offered) => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request('http://localhost/ok', { headers: { 'x-correlation-id': offered } });

      // Assess
      expect(response.headers.get('x-correlation-id')).toMatch(UUID);
    });

    it('serves path parameters', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request('http://localhost/items/42');

      // Assess
      expect(await response.json()).toEqual({ id: '42' });
    });
  });

  describe('routing misses', () => {
    it('answers an unknown path with a JSON 404 carrying the request id', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request('http://localhost/nope', { headers: { 'x-correlation-id': 'cid-404' } });

      // Assess
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await errorBody(response)).toEqual({
        error: { code: 'not_found', message: 'no route for /nope', requestId: 'cid-404' },
      });
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-correlation-id')).toBe('cid-404');
    });

    it('answers a wrong method on a known path with 405, Allow and the JSON shape', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request('http://localhost/ok', { method: 'POST' });

      // Assess
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
      const body = await errorBody(response);
      expect(body.error.code).toBe('method_not_allowed');
      expect(body.error.details).toEqual({ allow: ['GET', 'HEAD', 'OPTIONS'] });
      expect(body.error.requestId).toMatch(UUID);
    });

    it('does not echo the request path into a 405 message', async () => {
      const app = buildApp();

      const response = await app.request('http://localhost/ok', { method: 'DELETE' });

      expect(response.status).toBe(405);
      expect((await errorBody(response)).error.message).toBe('DELETE is not allowed on this resource');
    });

    it('answers a wrong method on a route template with 405', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request('http://localhost/items/42', { method: 'DELETE' });

      // Assess
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    });

    it('answers HEAD on a GET route like GET, without a body', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request('http://localhost/ok', { method: 'HEAD' });

      // Assess
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('');
    });

    it('answers OPTIONS on a known path with 204 and Allow', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request('http://localhost/ok', { method: 'OPTIONS' });

      // Assess
      expect(response.status).toBe(204);
      expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
      expect(await response.text()).toBe('');
    });

    it('answers OPTIONS on an unknown path with 404', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request('http://localhost/nope', { method: 'OPTIONS' });

      // Assess
      expect(response.status).toBe(404);
    });
  });

  describe('thrown errors', () => {
    it('answers a ValidationError with 400 and its details', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request('http://localhost/invalid', { headers: { 'x-correlation-id': 'cid-400' } });

      // Assess
      expect(response.status).toBe(400);
      expect(await errorBody(response)).toEqual({
        error: { code: 'validation_failed', message: 'bad', details: { field: 'x' }, requestId: 'cid-400' },
      });
    });

    it('answers a plain Error with a 500 that says only "internal error"', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request('http://localhost/crash');

      // Assess
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('password');
      const body = JSON.parse(text) as ErrorBody;
      const { requestId, ...rest } = body.error;
      expect(rest).toEqual({ code: 'internal_error', message: 'internal error' });
      expect(requestId).toMatch(UUID);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    });

    it('answers a thrown value that is not an Error in the same shape, with its message in the log', async () => {
      // Prepare
      const app = buildApp();
      const written: string[] = [];
      vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });

      // Act
      const response = await app.request('http://localhost/not-an-error', { headers: { 'x-correlation-id': 'cid-obj' } });

      // Assess
      expect(response.status).toBe(500);
      expect(await errorBody(response)).toEqual({ error: { code: 'internal_error', message: 'internal error', requestId: 'cid-obj' } });
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-correlation-id')).toBe('cid-obj');
      const logged = written.join('');
      expect(logged).toContain('connect ECONNREFUSED 127.0.0.1:5432');
      expect(logged).not.toContain('[object Object]');
    });

    it('answers a ServiceUnavailableError with 503 "service unavailable", hiding its message', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request('http://localhost/unavailable');

      // Assess
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(text).not.toContain('10.0.0.7');
      expect((JSON.parse(text) as ErrorBody).error).toMatchObject({ code: 'service_unavailable', message: 'service unavailable' });
    });

    it('answers a RateLimitedError with 429 and Retry-After', async () => {
      // Prepare
      const app = buildApp();

      // Act
      const response = await app.request('http://localhost/limited');

      // Assess
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('17');
      expect((await errorBody(response)).error).toMatchObject({ code: 'rate_limited', message: 'rate limit exceeded' });
    });
  });

  describe('CORS', () => {
    function appWithOrigins(origins: string): App {
      process.env.CORS_ALLOWED_ORIGINS = origins;
      resetConfig();
      return buildApp();
    }

    it('allows a listed origin', async () => {
      // Prepare
      const app = appWithOrigins('https://a.example');

      // Act
      const response = await app.request('http://localhost/ok', { headers: { Origin: 'https://a.example' } });

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://a.example');
      expect(response.headers.get('access-control-expose-headers')).toContain('X-Correlation-Id');
      expect(response.headers.get('vary')).toContain('Origin');
    });

    it('answers a preflight from a listed origin with 204 and the allowed methods', async () => {
      // Prepare
      const app = appWithOrigins('https://a.example, https://b.example');

      // Act
      const response = await app.request('http://localhost/ok', {
        method: 'OPTIONS',
        headers: { Origin: 'https://b.example', 'Access-Control-Request-Method': 'GET' },
      });

      // Assess
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://b.example');
      expect(response.headers.get('access-control-allow-methods')).toContain('GET');
      expect(response.headers.get('access-control-allow-headers')).toContain('X-API-Key');
      expect(response.headers.get('access-control-max-age')).toBe('600');
    });

    it('sends no allow-origin to an origin that is not listed', async () => {
      // Prepare
      const app = appWithOrigins('https://a.example');

      // Act
      const response = await app.request('http://localhost/ok', { headers: { Origin: 'https://evil.example' } });
      const preflight = await app.request('http://localhost/ok', {
        method: 'OPTIONS',
        headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
      });

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('sends no CORS headers at all when the list is empty', async () => {
      // Prepare
      const app = appWithOrigins('');

      // Act
      const response = await app.request('http://localhost/ok', { headers: { Origin: 'https://a.example' } });
      const preflight = await app.request('http://localhost/ok', {
        method: 'OPTIONS',
        headers: { Origin: 'https://a.example', 'Access-Control-Request-Method': 'GET' },
      });

      // Assess
      for (const answer of [response, preflight]) {
        const corsHeaders = [...answer.headers.keys()].filter((name) => name.startsWith('access-control-'));
        expect(corsHeaders).toEqual([]);
      }
      expect(preflight.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    });
  });
});
