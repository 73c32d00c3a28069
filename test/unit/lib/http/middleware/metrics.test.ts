import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '../../../../../lib/config.js';
import { ServiceUnavailableError } from '../../../../../lib/errors.js';
import { createApp, type App } from '../../../../../lib/http/app.js';
import { authenticate } from '../../../../../lib/http/middleware/authenticate.js';
import { errorsTotal } from '../../../../../lib/metrics/error-metrics.js';
import { httpRequestDuration, httpRequests, httpRequestsInProgress } from '../../../../../lib/metrics/http-metrics.js';
import { registry } from '../../../../../lib/metrics/registry.js';
import { resetLog } from '../../../../../lib/log/index.js';
import { captureOutput } from '../../../../support/capture-log.js';
import { MemoryKeyStore } from '../../../../support/memory-key-store.js';
import { observationsOf, valueOf } from '../../../../support/metric-values.js';

/** Routes shaped like the real ones, plus failures of every kind. */
function buildApp(): App {
  const app = createApp({ name: 'test' });
  app.get('/v1/signals', (c) => c.json([]));
  app.get('/v1/signals/:id', (c) => c.json({ id: c.req.param('id') }));
  app.get('/crash', () => {
    throw new Error('boom');
  });
  app.get('/unavailable', () => {
    throw new ServiceUnavailableError('redis down');
  });
  return app;
}

function get(app: App, path: string, init?: RequestInit): Promise<Response> {
  return Promise.resolve(app.request(`http://localhost${path}`, init));
}

describe('the metrics middleware', () => {
  beforeEach(() => {
    resetConfig();
    resetLog();
    captureOutput();
    registry.resetMetrics();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('counts requests by route template, never by raw path', async () => {
    // Prepare
    const app = buildApp();

    // Act
    await get(app, '/v1/signals/1');
    await get(app, '/v1/signals/2');
    await get(app, '/v1/signals');

    // Assess
    expect(await valueOf(httpRequests, { method: 'GET', endpoint: '/v1/signals/:id', status: 200 })).toBe(2);
    expect(await valueOf(httpRequests, { method: 'GET', endpoint: '/v1/signals', status: 200 })).toBe(1);
    const text = await registry.metrics();
    expect(text).not.toContain('/v1/signals/1"');
    expect(text).not.toContain('/v1/signals/2"');
  });

  it('times every request it counts, in seconds', async () => {
    // Prepare
    const app = buildApp();

    // Act
    await get(app, '/v1/signals/7');

    // Assess
    const labels = { method: 'GET', endpoint: '/v1/signals/:id', status: 200 };
    expect(await observationsOf(httpRequestDuration, labels)).toBe(1);
    const { values } = await httpRequestDuration.get();
    const sum = values.find((entry) => entry.metricName === 'http_request_duration_seconds_sum')?.value ?? -1;
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(1);
  });

  it('counts a path no route matches as unmatched with 404', async () => {
    // Prepare
    const app = buildApp();

    // Act
    const response = await get(app, '/wp-admin/install.php');

    // Assess
    expect(response.status).toBe(404);
    expect(await valueOf(httpRequests, { method: 'GET', endpoint: 'unmatched', status: 404 })).toBe(1);
  });

  it('counts a wrong method on a known path as unmatched with 405', async () => {
    // Prepare
    const app = buildApp();

    // Act
    const response = await get(app, '/v1/signals/1', { method: 'DELETE' });

    // Assess
    expect(response.status).toBe(405);
    expect(await valueOf(httpRequests, { method: 'DELETE', endpoint: 'unmatched', status: 405 })).toBe(1);
  });

  it('counts a route that throws with the status its error became', async () => {
    // Prepare
    const app = buildApp();

    // Act
    await get(app, '/crash');
    await get(app, '/unavailable');

    // Assess
    expect(await valueOf(httpRequests, { method: 'GET', endpoint: '/crash', status: 500 })).toBe(1);
    expect(await valueOf(httpRequests, { method: 'GET', endpoint: '/unavailable', status: 503 })).toBe(1);
  });

  it('counts a request refused before its route (403 from auth) under that route', async () => {
    // Prepare
    const app = createApp({ name: 'test', keys: () => new MemoryKeyStore() });
    app.get('/v1/signals/:id', (c) => c.json({}));

    // Act
    const response = await get(app, '/v1/signals/9', { headers: { 'x-api-key': 'not-a-key' } });

    // Assess
    expect(response.status).toBe(403);
    expect(await valueOf(httpRequests, { method: 'GET', endpoint: '/v1/signals/:id', status: 403 })).toBe(1);
  });

  it('counts a method a client invented as other', async () => {
    // Prepare
    const app = buildApp();

    // Act
    await get(app, '/v1/signals', { method: 'PROPFIND' });

    // Assess
    expect(await valueOf(httpRequests, { method: 'other', endpoint: 'unmatched', status: 405 })).toBe(1);
  });

  it('holds a request in progress while it runs and releases it afterwards, even when it fails', async () => {
    // Prepare
    const app = createApp({ name: 'test' });
    let during = -1;
    app.get('/slow', async (c) => {
      during = await valueOf(httpRequestsInProgress, { method: 'GET', endpoint: '/slow' });
      return c.json({});
    });
    app.get('/fail', () => {
      throw new Error('boom');
    });

    // Act
    await get(app, '/slow');
    await get(app, '/fail');

    // Assess
    expect(during).toBe(1);
    expect(await valueOf(httpRequestsInProgress, { method: 'GET', endpoint: '/slow' })).toBe(0);
    expect(await valueOf(httpRequestsInProgress, { method: 'GET', endpoint: '/fail' })).toBe(0);
  });

  it('sits after CORS and before auth, so a request auth refuses is still counted', () => {
    // Prepare
    const app = createApp({ name: 'test', keys: () => new MemoryKeyStore() });

    // Act
    const names = app.routes.map((route) => route.handler.name);

    // Assess
    expect(names.indexOf('metrics')).toBeGreaterThan(names.indexOf('cors'));
    expect(names.indexOf('metrics')).toBeLessThan(names.indexOf('authenticate'));
  });
});

describe('errors_total', () => {
  beforeEach(() => {
    resetConfig();
    resetLog();
    captureOutput();
    registry.resetMetrics();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('counts an unexpected 500 as critical and a 503 as error, by code', async () => {
    // Prepare
    const app = buildApp();

    // Act
    await get(app, '/crash');
    await get(app, '/unavailable');

    // Assess
    expect(await valueOf(errorsTotal, { type: 'internal_error', severity: 'critical' })).toBe(1);
    expect(await valueOf(errorsTotal, { type: 'service_unavailable', severity: 'error' })).toBe(1);
  });

  it('does not count client errors', async () => {
    // Prepare
    const app = createApp({ name: 'test' });
    app.use(authenticate({ lookup: () => new MemoryKeyStore() }));
    app.get('/x', (c) => c.json({}));

    // Act
    await get(app, '/nope');
    await get(app, '/x', { headers: { 'x-api-key': 'bad' } });

    // Assess
    expect((await errorsTotal.get()).values).toEqual([]);
  });
});
