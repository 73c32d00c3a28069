// The metrics push against the real Pushgateway (infra/local/ensure-services.sh): containers land in
// groups of their own, the interval is honoured, values with a slash travel in the @base64 form,
// and a Pushgateway that hangs or is down never holds a request past its budget. Every test pushes
// under a function name of its own and deletes its groups afterwards; the admin wipe is never used.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Counter, Registry } from '../../../../lib/metrics/prom.js';
import { createFlusher, groupingPath, type Grouping } from '../../../../lib/metrics/pushgateway.js';
import { services } from '../../../support/services.js';
import { httpEvent, lambdaContext } from '../../../support/http-event.js';

interface ApiGroup {
  labels: Record<string, string>;
  [metric: string]: unknown;
}

interface ApiFamily {
  metrics: Array<{ labels: Record<string, string>; value?: string }>;
}

async function groups(): Promise<ApiGroup[]> {
  const response = await fetch(`${services.pushgatewayUrl}/api/v1/metrics`);
  return ((await response.json()) as { data: ApiGroup[] }).data;
}

async function findGroup(labels: Grouping): Promise<ApiGroup | undefined> {
  const all = await groups();
  return all.find((group) => Object.entries(labels).every(([name, value]) => group.labels[name] === value) && Object.keys(group.labels).length === Object.keys(labels).length);
}

/** The value of one series of a pushed metric, matching the given labels (others ignored). */
function valueIn(group: ApiGroup | undefined, metric: string, labels: Record<string, string> = {}): number | undefined {
  const family = group?.[metric] as ApiFamily | undefined;
  const series = family?.metrics.find((entry) => Object.entries(labels).every(([name, value]) => entry.labels[name] === value));
  return series?.value === undefined ? undefined : Number(series.value);
}

const created: Grouping[] = [];

async function deleteGroups(): Promise<void> {
  await Promise.all(created.splice(0).map((labels) => fetch(`${services.pushgatewayUrl}/metrics${groupingPath(labels)}`, { method: 'DELETE' })));
}

function uniqueName(): string {
  return `test-${randomUUID().slice(0, 8)}`;
}

function eventFor(path: string, routePath: string): APIGatewayProxyEventV2 {
  return httpEvent('GET', path, { routeKey: `ANY ${routePath}` });
}

function contextOf(functionName: string, remainingMs?: number): Context {
  const context = lambdaContext(functionName);
  return remainingMs === undefined ? context : { ...context, getRemainingTimeInMillis: () => remainingMs };
}

const ENV_NAMES = ['PUSHGATEWAY_URL', 'METRICS_PUSH_INTERVAL_MS', 'METRICS_PUSH_TIMEOUT_MS'] as const;
const savedEnv = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));

/**
 * A fresh Lambda container: every module loaded anew (its own registry, container id and
 * configuration from the current environment), with an app of one route and its handler.
 */
async function bootContainer(functionName: string, env: Partial<Record<(typeof ENV_NAMES)[number], string>>) {
  for (const name of ENV_NAMES) {
    const value = env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  vi.resetModules();
  const { httpFunction } = await import('../../../../lib/http/index.js');
  const pushgateway = await import('../../../../lib/metrics/pushgateway.js');
  const handler = httpFunction(functionName, (app) => {
    app.get('/v1/things/:id', (c) => c.json({ id: c.req.param('id') }));
  });
  const grouping: Grouping = { job: 'signal-harvester', function: functionName, instance: pushgateway.containerId };
  return {
    grouping,
    pushFailuresTotal: pushgateway.pushFailuresTotal,
    invoke: (path: string, remainingMs?: number) => handler(eventFor(path, '/v1/things/{id}'), contextOf(functionName, remainingMs)),
  };
}

/** An HTTP server that accepts requests and never answers them. */
async function hangingServer(): Promise<{ url: string; server: Server }> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`, server };
}

/** The address of a port nothing listens on (bound, then released). */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${String(port)}`;
}

describe('pushing metrics to the real Pushgateway', () => {
  beforeEach(() => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await deleteGroups();
  });

  afterAll(() => {
    for (const name of ENV_NAMES) {
      const saved = savedEnv[name];
      if (saved === undefined) delete process.env[name];
      else process.env[name] = saved;
    }
  });

  it('keeps two containers of one function in two groups, each with its own request counts', async () => {
    // Prepare
    const functionName = uniqueName();
    const env = { PUSHGATEWAY_URL: services.pushgatewayUrl, METRICS_PUSH_INTERVAL_MS: '0' };
    const first = await bootContainer(functionName, env);
    const second = await bootContainer(functionName, env);
    created.push(first.grouping, second.grouping);

    // Act
    for (const id of ['1', '2', '3']) expect((await first.invoke(`/v1/things/${id}`)).statusCode).toBe(200);
    for (const id of ['4', '5']) expect((await second.invoke(`/v1/things/${id}`)).statusCode).toBe(200);
    expect((await second.invoke('/nowhere')).statusCode).toBe(404);

    // Assess
    expect(first.grouping.instance).not.toBe(second.grouping.instance);
    const ok = { method: 'GET', endpoint: '/v1/things/:id', status: '200' };
    expect(valueIn(await findGroup(first.grouping), 'http_requests_total', ok)).toBe(3);
    expect(valueIn(await findGroup(second.grouping), 'http_requests_total', ok)).toBe(2);
    expect(valueIn(await findGroup(second.grouping), 'http_requests_total', { endpoint: 'unmatched', status: '404' })).toBe(1);
    expect(valueIn(await findGroup(first.grouping), 'http_requests_total', { endpoint: 'unmatched' })).toBeUndefined();
    const total = (await groups())
      .filter((group) => group.labels.function === functionName)
      .reduce((sum, group) => sum + (valueIn(group, 'http_requests_total', ok) ?? 0), 0);
    expect(total).toBe(5);
  });

  it('pushes at most once per interval through the handler, and every invocation with an interval of 0', async () => {
    // Prepare
    const functionName = uniqueName();
    const container = await bootContainer(functionName, { PUSHGATEWAY_URL: services.pushgatewayUrl, METRICS_PUSH_INTERVAL_MS: '60000' });
    created.push(container.grouping);
    const ok = { endpoint: '/v1/things/:id', status: '200' };

    // Act
    await container.invoke('/v1/things/1');
    await container.invoke('/v1/things/2');

    // Assess: the first invocation pushed (one request counted); the second was within the interval
    expect(valueIn(await findGroup(container.grouping), 'http_requests_total', ok)).toBe(1);
  });

  it('honours the interval against the real gateway: nothing new within it, the latest totals after it', async () => {
    // Prepare
    const own = new Registry();
    const counter = new Counter({ name: 'signal_harvester_test_events_total', help: 'Test events.', registers: [own] });
    let time = 1_000_000;
    const functionName = uniqueName();
    const grouping: Grouping = { job: 'signal-harvester', function: functionName, instance: 'interval' };
    created.push(grouping);
    const flusher = createFlusher({ url: services.pushgatewayUrl, intervalMs: 10_000, timeoutMs: 2_000, registry: own, instance: 'interval', now: () => time });
    counter.inc();
    await flusher.maybeFlush({ functionName });

    // Act
    counter.inc();
    const early = await flusher.maybeFlush({ functionName });
    const seenEarly = valueIn(await findGroup(grouping), 'signal_harvester_test_events_total');
    time += 10_000;
    const due = await flusher.maybeFlush({ functionName });

    // Assess
    expect(early.reason).toBe('not_due');
    expect(seenEarly).toBe(1);
    expect(due.pushed).toBe(true);
    expect(valueIn(await findGroup(grouping), 'signal_harvester_test_events_total')).toBe(2);
  });

  it('pushes a grouping value holding a slash in the @base64 form, which the gateway decodes', async () => {
    // Prepare
    const own = new Registry();
    new Counter({ name: 'signal_harvester_test_events_total', help: 'Test events.', registers: [own] }).inc(4);
    const functionName = `${uniqueName()}/v2`;
    const grouping: Grouping = { job: 'signal-harvester', function: functionName, instance: 'i/1' };
    created.push(grouping);

    // Act
    const result = await createFlusher({ url: services.pushgatewayUrl, intervalMs: 0, timeoutMs: 2_000, registry: own, instance: 'i/1' }).maybeFlush({ functionName });

    // Assess
    expect(result.pushed).toBe(true);
    const group = await findGroup(grouping);
    expect(group?.labels).toEqual({ job: 'signal-harvester', function: functionName, instance: 'i/1' });
    expect(valueIn(group, 'signal_harvester_test_events_total')).toBe(4);
  });

  describe('a Pushgateway that does not answer', () => {
    let hanging: { url: string; server: Server };

    beforeEach(async () => {
      hanging = await hangingServer();
    });

    afterEach(async () => {
      hanging.server.closeAllConnections();
      await new Promise<void>((resolve) => hanging.server.close(() => resolve()));
    });

    it('holds a request no longer than the push budget, which is counted as a timeout', async () => {
      // Prepare
      const container = await bootContainer(uniqueName(), { PUSHGATEWAY_URL: hanging.url, METRICS_PUSH_INTERVAL_MS: '0', METRICS_PUSH_TIMEOUT_MS: '200' });
      const started = performance.now();

      // Act
      const result = await container.invoke('/v1/things/1');

      // Assess
      const elapsed = performance.now() - started;
      expect(result.statusCode).toBe(200);
      expect(elapsed).toBeGreaterThanOrEqual(190);
      expect(elapsed).toBeLessThan(200 + 150);
      expect((await container.pushFailuresTotal.get()).values).toEqual([expect.objectContaining({ labels: { reason: 'timeout' }, value: 1 })]);
    });

    it('shortens the budget to the Lambda time left, minus the safety margin', async () => {
      // Prepare
      const container = await bootContainer(uniqueName(), { PUSHGATEWAY_URL: hanging.url, METRICS_PUSH_INTERVAL_MS: '0', METRICS_PUSH_TIMEOUT_MS: '2000' });
      const started = performance.now();

      // Act: 250 ms left, 100 ms kept for returning: a 150 ms budget instead of 2 s
      const result = await container.invoke('/v1/things/1', 250);

      // Assess
      expect(result.statusCode).toBe(200);
      expect(performance.now() - started).toBeLessThan(150 + 150);
    });
  });

  it('answers at once when the Pushgateway is down, counting the failure', async () => {
    // Prepare
    const container = await bootContainer(uniqueName(), { PUSHGATEWAY_URL: await closedPortUrl(), METRICS_PUSH_INTERVAL_MS: '0', METRICS_PUSH_TIMEOUT_MS: '300' });
    const started = performance.now();

    // Act
    const first = await container.invoke('/v1/things/1');
    const second = await container.invoke('/v1/things/2');

    // Assess
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(performance.now() - started).toBeLessThan(300);
    expect((await container.pushFailuresTotal.get()).values).toEqual([expect.objectContaining({ labels: { reason: 'unreachable' }, value: 2 })]);
  });
});
