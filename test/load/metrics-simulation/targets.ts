// The two push targets of the metrics simulation, each a private instance of the real server this
// run starts on 127.0.0.1 (a free port, a temporary data dir) and stops at the end, so the load and
// the thousands of groups it leaves never reach the shared services other tests use at the same
// time (a Pushgateway's writes are serialised: flooding the shared one stalls every test using it):
// - `pushgateway`: Debian's `prometheus-pushgateway` with the production flags (persistence file,
//   admin API), read the way production reads it: a Prometheus of our own (Debian's `prometheus`)
//   scrapes it with honor_labels, and the queries go to that Prometheus;
// - `victoria-metrics`: Debian's `victoria-metrics`, which stores the pushes and answers the
//   queries itself (MetricsQL).
// Memory is the resident set of the server process itself (from /proc).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { putStrategy, type PushStrategy } from '../../../lib/metrics/pushgateway.js';
import { importStrategy } from '../../../lib/metrics/victoria-metrics.js';

export type TargetName = 'pushgateway' | 'victoria-metrics';

export interface Target {
  name: TargetName;
  /** Where containers push. */
  url: string;
  /** A strategy for one new container (the VictoriaMetrics one keeps per-container state). */
  strategy(): PushStrategy;
  /** The value of an instant query returning one series; undefined when it returns none. */
  scalar(expr: string): Promise<number | undefined>;
  /** Waits until everything pushed so far can be queried. */
  settle(): Promise<void>;
  /** Resident memory of the target's process, bytes (from /proc). */
  rssBytes(): number | undefined;
  /** Deletes what `job` pushed. */
  cleanup(job: string): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function rssOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'));
    return match === null ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

interface QueryAnswer {
  status: string;
  error?: string;
  data?: { result: Array<{ value: [number, string] }> };
}

async function instantQuery(base: string, expr: string, extra = ''): Promise<number | undefined> {
  const response = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}${extra}`, { signal: AbortSignal.timeout(60_000) });
  const answer = (await response.json()) as QueryAnswer;
  if (answer.status !== 'success') throw new Error(`query failed: ${answer.error ?? answer.status}: ${expr}`);
  const first = answer.data?.result[0];
  return first === undefined ? undefined : Number(first.value[1]);
}


/** Every server this process started: stopped on any exit, a watchdog's included. */
const started = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});

/** Starts `command` and waits until `readyUrl` answers 2xx (10 s at most). */
async function startServer(command: string, args: readonly string[], readyUrl: string): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: 'ignore' });
  started.add(child);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  child.once('error', () => {
    exited = true;
  });
  for (let i = 0; i < 100; i++) {
    if (exited) break;
    if (await fetch(readyUrl).then((r) => r.ok).catch(() => false)) return child;
    await sleep(100);
  }
  child.kill('SIGTERM');
  throw new Error(`${command} did not start on ${new URL(readyUrl).host} (is its Debian package installed? npm run services installs it)`);
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  // A Pushgateway with a full write queue does not stop on SIGTERM.
  const stubborn = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(stubborn);
  started.delete(child);
}

/** Seconds between the simulation Prometheus' scrapes of the Pushgateway. */
export const SCRAPE_INTERVAL_S = 5;

export async function pushgatewayTarget(): Promise<Target> {
  const dir = await mkdtemp(join(tmpdir(), 'sh-metrics-sim-pgw-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${String(port)}`;
  const gateway = await startServer(
    'prometheus-pushgateway',
    [`--web.listen-address=127.0.0.1:${String(port)}`, `--persistence.file=${join(dir, 'pushgateway.data')}`, '--web.enable-admin-api', '--log.level=warn'],
    `${url}/-/ready`,
  );
  const promPort = await freePort();
  const config = join(dir, 'prometheus.yml');
  await writeFile(
    config,
    [
      'global:',
      `  scrape_interval: ${String(SCRAPE_INTERVAL_S)}s`,
      'scrape_configs:',
      '  - job_name: pushgateway',
      '    honor_labels: true',
      `    scrape_timeout: ${String(SCRAPE_INTERVAL_S)}s`,
      '    static_configs:',
      `      - targets: ['127.0.0.1:${String(port)}']`,
      '',
    ].join('\n'),
  );
  const prom = `http://127.0.0.1:${String(promPort)}`;
  const prometheus = await startServer(
    'prometheus',
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'prometheus')}`, `--web.listen-address=127.0.0.1:${String(promPort)}`, '--log.level=warn'],
    `${prom}/-/ready`,
  );
  return {
    name: 'pushgateway',
    url,
    strategy: () => putStrategy({ url }),
    scalar: (expr) => instantQuery(prom, expr),
    // Two scrapes after the last push: the second one surely started after it.
    settle: () => sleep(2 * SCRAPE_INTERVAL_S * 1000 + 500),
    rssBytes: () => rssOf(gateway.pid),
    // Each run's job label is its own and the instance goes at close: nothing to delete (a wipe
    // would wait behind a full write queue).
    cleanup: () => Promise.resolve(),
    close: async () => {
      await stopServer(prometheus);
      await stopServer(gateway);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function victoriaMetricsTarget(): Promise<Target> {
  const dir = await mkdtemp(join(tmpdir(), 'sh-metrics-sim-vm-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${String(port)}`;
  const server = await startServer(
    'victoria-metrics',
    [`-httpListenAddr=127.0.0.1:${String(port)}`, `-storageDataPath=${dir}`, '-retentionPeriod=1d', '-search.latencyOffset=0s', '-loggerLevel=ERROR'],
    `${url}/health`,
  );
  return {
    name: 'victoria-metrics',
    url,
    strategy: () => importStrategy({ url }),
    // nocache: the rollup cache must not answer from before the last pushes.
    scalar: (expr) => instantQuery(url, expr, '&nocache=1'),
    settle: async () => {
      await fetch(`${url}/internal/force_flush`);
      await sleep(1500);
    },
    rssBytes: () => rssOf(server.pid),
    cleanup: async (job) => {
      await fetch(`${url}/api/v1/admin/tsdb/delete_series?match[]=${encodeURIComponent(`{job="${job}"}`)}`, { method: 'POST' });
    },
    close: async () => {
      await stopServer(server);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
