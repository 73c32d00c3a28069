// The two push targets of the metrics simulation, as production uses them, all on 127.0.0.1:
// - `pushgateway`: the machine's Pushgateway (ensure-services.sh), read the way production reads
//   it: a Prometheus of our own (Debian's `prometheus`, a temporary data dir, a free port) scrapes
//   it with honor_labels, and the queries go to that Prometheus;
// - `victoria-metrics`: the machine's VictoriaMetrics, which stores the pushes and answers the
//   queries itself (MetricsQL).
// Each run pushes under a job label of its own and deletes only that job's groups or series at the
// end, so other tests using the same services are not disturbed.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweepPushgateway } from '../../../lib/metrics/janitor.js';
import { putStrategy, type PushStrategy } from '../../../lib/metrics/pushgateway.js';
import { importStrategy } from '../../../lib/metrics/victoria-metrics.js';
import { services } from '../../support/services.js';

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

/** The pid listening on 127.0.0.1:`port`, from `ss` (iproute2). */
function listenerPid(port: number): number | undefined {
  try {
    const out = execFileSync('ss', ['-Hltnp', `sport = :${String(port)}`], { encoding: 'utf8' });
    const match = /pid=(\d+)/.exec(out);
    return match === null ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

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
  const response = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}${extra}`);
  const answer = (await response.json()) as QueryAnswer;
  if (answer.status !== 'success') throw new Error(`query failed: ${answer.error ?? answer.status}: ${expr}`);
  const first = answer.data?.result[0];
  return first === undefined ? undefined : Number(first.value[1]);
}

/** Seconds between the simulation Prometheus' scrapes of the Pushgateway. */
export const SCRAPE_INTERVAL_S = 5;

export async function pushgatewayTarget(): Promise<Target> {
  const url = services.pushgatewayUrl;
  const port = Number(new URL(url).port);
  const promPort = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'sh-metrics-sim-prom-'));
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
      `      - targets: ['${new URL(url).host}']`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    'prometheus',
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${String(promPort)}`, '--log.level=warn'],
    { stdio: 'ignore' },
  );
  const prom = `http://127.0.0.1:${String(promPort)}`;
  for (let i = 0; i < 100; i++) {
    const ready = await fetch(`${prom}/-/ready`).then((r) => r.ok).catch(() => false);
    if (ready) break;
    if (i === 99) throw new Error('the simulation Prometheus did not start (is the `prometheus` package installed?)');
    await sleep(100);
  }
  return {
    name: 'pushgateway',
    url,
    strategy: () => putStrategy({ url }),
    scalar: (expr) => instantQuery(prom, expr),
    // Two scrapes after the last push: the second one surely started after it.
    settle: () => sleep(2 * SCRAPE_INTERVAL_S * 1000 + 500),
    rssBytes: () => rssOf(listenerPid(port)),
    cleanup: async (job) => {
      await sweepPushgateway({ url, ttlMs: 0, job });
    },
    close: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function victoriaMetricsTarget(): Target {
  const url = services.victoriaMetricsUrl;
  const port = Number(new URL(url).port);
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
    rssBytes: () => rssOf(listenerPid(port)),
    cleanup: async (job) => {
      await fetch(`${url}/api/v1/admin/tsdb/delete_series?match[]=${encodeURIComponent(`{job="${job}"}`)}`, { method: 'POST' });
    },
    close: () => Promise.resolve(),
  };
}
