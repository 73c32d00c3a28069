// Issue 5 end to end: two simulated Lambda containers of one function push through the real app to
// the real Pushgateway, a real Prometheus (Debian's /usr/bin/prometheus, started here with a copy of
// infra/prometheus/prometheus.yml) scrapes it and sums the requests of both, and the janitor with a
// short TTL removes the groups once they are stale. Everything is scoped to a function name of its
// own; the janitor sees only this test's groups (other suites push to the real job in parallel), and
// the admin wipe is never used.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sweepPushgateway } from '../../lib/metrics/pushgateway-sweep.js';
import { groupingPath, PUSH_JOB, type Grouping } from '../../lib/metrics/pushgateway.js';
import { services } from '../support/services.js';
import { httpEvent, lambdaContext } from '../support/http-event.js';

const PROMETHEUS_BIN = '/usr/bin/prometheus';
const CONFIG_DIR = fileURLToPath(new URL('../../infra/prometheus/', import.meta.url));
const JANITOR_TTL_MS = 1_000;

interface ApiGroup {
  labels: Record<string, string>;
}

interface QueryResponse {
  status: string;
  data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

async function groupsOf(functionName: string): Promise<ApiGroup[]> {
  const response = await fetch(`${services.pushgatewayUrl}/api/v1/metrics`);
  const { data } = (await response.json()) as { data: ApiGroup[] };
  return data.filter((group) => group.labels.function === functionName);
}

/** A fetch for the janitor that shows it only this test's groups in the Pushgateway's listing. */
function scopedFetch(functionName: string): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    // The janitor calls with a string URL; anything else is passed through untouched.
    if (typeof input !== 'string' || !input.endsWith('/api/v1/metrics')) return response;
    const body = (await response.json()) as { status: string; data: ApiGroup[] };
    const data = body.data.filter((group) => group.labels.function === functionName);
    return new Response(JSON.stringify({ ...body, data }), { status: response.status, headers: { 'content-type': 'application/json' } });
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port to give Prometheus');
  return address.port;
}

/** infra/prometheus/prometheus.yml with a 1 s scrape interval and the test's Pushgateway as target. */
async function writeConfig(dir: string): Promise<void> {
  const original = await readFile(join(CONFIG_DIR, 'prometheus.yml'), 'utf8');
  const target = new URL(services.pushgatewayUrl).host;
  const config = original.replaceAll('scrape_interval: 15s', 'scrape_interval: 1s').replace("targets: ['127.0.0.1:9091']", `targets: ['${target}']`);
  if (!config.includes(`targets: ['${target}']`) || config.includes('15s') || !config.includes('honor_labels: true')) {
    throw new Error('infra/prometheus/prometheus.yml changed shape: update how this test rewrites its interval and target');
  }
  await writeFile(join(dir, 'prometheus.yml'), config);
  await copyFile(join(CONFIG_DIR, 'alerts.yml'), join(dir, 'alerts.yml'));
}

interface RunningPrometheus {
  url: string;
  process: ChildProcess;
  /** The tail of its log, for failure messages. */
  output: () => string;
}

async function startPrometheus(dir: string): Promise<RunningPrometheus> {
  const port = await freePort();
  const child = spawn(
    PROMETHEUS_BIN,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${String(port)}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString('utf8')).slice(-4_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return { url: `http://127.0.0.1:${String(port)}`, process: child, output: () => log };
}

async function stopPrometheus(prometheus: RunningPrometheus): Promise<void> {
  const child = prometheus.process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function isReady(prometheus: RunningPrometheus): Promise<boolean> {
  if (prometheus.process.exitCode !== null) throw new Error(`prometheus exited (${String(prometheus.process.exitCode)}):\n${prometheus.output()}`);
  try {
    return (await fetch(`${prometheus.url}/-/ready`)).ok;
  } catch {
    return false;
  }
}

/** The value of `sum by (function)(http_requests_total{function=…})`, or undefined before a scrape. */
async function requestSum(prometheus: RunningPrometheus, functionName: string): Promise<number | undefined> {
  const query = `sum by (function)(http_requests_total{function="${functionName}"})`;
  const response = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await response.json()) as QueryResponse;
  const series = body.data?.result.find((entry) => entry.metric.function === functionName);
  return series === undefined ? undefined : Number(series.value[1]);
}

function eventFor(path: string): APIGatewayProxyEventV2 {
  return httpEvent('GET', path, { routeKey: 'ANY /v1/things/{id}' });
}

const ENV_NAMES = ['PUSHGATEWAY_URL', 'METRICS_PUSH_INTERVAL_MS'] as const;
const savedEnv = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));

/** A fresh Lambda container (modules loaded anew: own registry and container id) of `functionName`. */
async function bootContainer(functionName: string) {
  process.env.PUSHGATEWAY_URL = services.pushgatewayUrl;
  process.env.METRICS_PUSH_INTERVAL_MS = '0';
  vi.resetModules();
  const { httpFunction } = await import('../../lib/http/index.js');
  const { containerId } = await import('../../lib/metrics/pushgateway.js');
  const handler = httpFunction(functionName, (app) => {
    app.get('/v1/things/:id', (c) => c.json({ id: c.req.param('id') }));
  });
  const context = lambdaContext(functionName);
  const grouping: Grouping = { job: PUSH_JOB, function: functionName, instance: containerId };
  return { grouping, invoke: (path: string) => handler(eventFor(path), context) };
}

describe('metrics from two containers, through the Pushgateway, in a real Prometheus', () => {
  const functionName = `e2e-prom-${randomUUID().slice(0, 8)}`;
  const created: Grouping[] = [];
  let dir: string | undefined;
  let prometheus: RunningPrometheus | undefined;

  beforeAll(async () => {
    if (!existsSync(PROMETHEUS_BIN)) {
      throw new Error(`${PROMETHEUS_BIN} is missing: install the Debian package \`prometheus\` (\`npm run services\`, infra/local/ensure-services.sh, installs it)`);
    }
    dir = await mkdtemp(join(tmpdir(), 'signal-harvester-prometheus-'));
    await writeConfig(dir);
    prometheus = await startPrometheus(dir);
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    if (prometheus !== undefined) await stopPrometheus(prometheus);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    await Promise.all(created.map((labels) => fetch(`${services.pushgatewayUrl}/metrics${groupingPath(labels)}`, { method: 'DELETE' })));
    for (const name of ENV_NAMES) {
      const saved = savedEnv[name];
      if (saved === undefined) delete process.env[name];
      else process.env[name] = saved;
    }
  });

  it('sums the requests of both containers, and the janitor then removes their stale groups', async () => {
    // Prepare
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const first = await bootContainer(functionName);
    const second = await bootContainer(functionName);
    created.push(first.grouping, second.grouping);
    const running = prometheus as RunningPrometheus;

    // Act: 3 + 2 requests, each invocation flushing its container's registry
    for (const id of ['1', '2', '3']) expect((await first.invoke(`/v1/things/${id}`)).statusCode).toBe(200);
    for (const id of ['4', '5']) expect((await second.invoke(`/v1/things/${id}`)).statusCode).toBe(200);
    const lastPushAt = Date.now();

    // Assess: the Pushgateway holds both groups
    expect(first.grouping.instance).not.toBe(second.grouping.instance);
    const instances = (await groupsOf(functionName)).map((group) => group.labels.instance).sort();
    expect(instances).toEqual([first.grouping.instance, second.grouping.instance].sort());

    // Assess: Prometheus scrapes them and answers the sum over both containers
    await expect.poll(() => isReady(running), { timeout: 10_000, interval: 100, message: 'prometheus never became ready' }).toBe(true);
    await expect
      .poll(() => requestSum(running, functionName), { timeout: 20_000, interval: 250, message: 'prometheus never answered the sum of both containers' })
      .toBe(5);

    // Act: the janitor, once both groups are older than its TTL
    const wait = lastPushAt + JANITOR_TTL_MS + 200 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const result = await sweepPushgateway({ url: services.pushgatewayUrl, ttlMs: JANITOR_TTL_MS, fetch: scopedFetch(functionName) });

    // Assess: both groups deleted (the Pushgateway applies a DELETE asynchronously, so poll briefly)
    expect(result.failed).toBe(0);
    expect(result.kept).toBe(0);
    expect(result.deleted).toEqual(expect.arrayContaining([expect.objectContaining(first.grouping), expect.objectContaining(second.grouping)]));
    expect(result.deleted).toHaveLength(2);
    await expect.poll(async () => (await groupsOf(functionName)).length, { timeout: 2_000, interval: 20 }).toBe(0);
  }, 30_000);
});
