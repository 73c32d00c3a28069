// The VictoriaMetrics push target against the real VictoriaMetrics (infra/local/ensure-services.sh,
// 127.0.0.1:8428): series land under the grouping labels, `sum(increase(...))` over containers
// counts every request across container churn and counter resets, configuration selects the
// target, a refusal is a failed push, and every alert rule and dashboard query of the monitoring kit
// runs on it. Each test uses a function name of its own (and job="sh-test-vm"), so nothing another
// test or worktree pushes can disturb it, and nothing is deleted.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { resetConfig } from '../../../../lib/config.js';
import { Counter, Registry } from '../../../../lib/metrics/prom.js';
import { createFlusher, maybeFlush, resetMetricsFlusher, type Grouping } from '../../../../lib/metrics/pushgateway.js';
import { registry as containerRegistry } from '../../../../lib/metrics/registry.js';
import { importStrategy } from '../../../../lib/metrics/victoria-metrics.js';
import { services } from '../../../support/services.js';
import { alertRules, dashboardExprs, dashboardFiles, interpolateGrafanaVariables, readDashboard } from '../../../support/monitoring-assets.js';

const JOB = 'sh-test-vm';
const VM = services.victoriaMetricsUrl;

interface QueryResult {
  status: string;
  error?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

async function query(expr: string): Promise<QueryResult> {
  const response = await fetch(`${VM}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return (await response.json()) as QueryResult;
}

/**
 * New series become searchable seconds after they arrive (VictoriaMetrics buffers them): flushes its
 * buffers, then asks until `ready`, 10 s at most.
 */
async function settled(expr: string, ready: (result: QueryResult) => boolean): Promise<QueryResult> {
  await fetch(`${VM}/internal/force_flush`);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const result = await query(expr);
    if (ready(result) || Date.now() > deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The single value of an instant query once it equals `expected` (or 10 s passed), undefined when it returns nothing. */
async function scalarOf(expr: string, expected?: number): Promise<number | undefined> {
  const valueIn = (result: QueryResult): number | undefined => {
    const first = result.data?.result[0];
    return first === undefined ? undefined : Number(first.value[1]);
  };
  return valueIn(await settled(expr, (result) => (expected === undefined ? valueIn(result) !== undefined : valueIn(result) === expected)));
}

/** A container: its own registry with the HTTP counter, and its own strategy (its own birth bookkeeping). */
function container(functionName: string, startedAt: number) {
  const registry = new Registry();
  const requests = new Counter({ name: 'http_requests_total', help: 'h', labelNames: ['method', 'endpoint', 'status'], registers: [registry] });
  const jobRuns = new Counter({ name: 'job_runs_total', help: 'j', labelNames: ['job', 'status'], registers: [registry] });
  const instance = randomUUID();
  const strategy = importStrategy({ url: VM, startedAt });
  const grouping: Grouping = { job: JOB, function: functionName, instance };
  return { requests, jobRuns, instance, push: () => strategy.push(registry, grouping, AbortSignal.timeout(5000)) };
}

function uniqueFunction(): string {
  return `vm-${randomUUID().slice(0, 8)}`;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('importStrategy on the real VictoriaMetrics', () => {
  it('counts every request with sum(increase()) across containers that come, restart and go', async () => {
    // Prepare: a, then b beside it; a dies and its replacement a2 starts from 0 (a counter reset
    // under a new instance); statuses appear later than the first push (new series mid-life).
    const fn = uniqueFunction();
    const a = container(fn, Date.now());
    a.requests.inc({ method: 'GET', endpoint: '/v1/signals', status: '200' }, 7);
    await a.push();
    const b = container(fn, Date.now());
    b.requests.inc({ method: 'GET', endpoint: '/v1/signals', status: '200' }, 1);
    await b.push();
    await sleep(20);
    a.requests.inc({ method: 'GET', endpoint: '/v1/signals', status: '200' }, 5);
    a.requests.inc({ method: 'GET', endpoint: '/v1/signals', status: '500' }, 2);
    await a.push();
    const a2 = container(fn, Date.now());
    a2.requests.inc({ method: 'GET', endpoint: '/v1/signals', status: '200' }, 3);
    await a2.push();
    await sleep(20);
    b.requests.inc({ method: 'POST', endpoint: '/v1/admin/jobs/{name}', status: '202' }, 4);
    await b.push();

    // Act
    const total = await scalarOf(`sum(increase(http_requests_total{job="${JOB}", function="${fn}"}[5m]))`, 22);
    const errors = await scalarOf(`sum(increase(http_requests_total{job="${JOB}", function="${fn}", status=~"5.."}[5m]))`, 2);

    // Assess: 7 + 1 + 5 + 2 + 3 + 4 requests were made.
    expect(total).toBe(22);
    expect(errors).toBe(2);
  });

  it('labels the series with the grouping, which replaces a pushed job label, and adds push_time_seconds', async () => {
    // Prepare
    const fn = uniqueFunction();
    const before = Date.now() / 1000;
    const c = container(fn, Date.now());
    c.jobRuns.inc({ job: 'discover', status: 'succeeded' });

    // Act
    await c.push();

    // Assess
    const runs = await settled(`job_runs_total{function="${fn}"}`, (result) => (result.data?.result.length ?? 0) > 0);
    expect(runs.data?.result.map((series) => series.metric)).toEqual([
      { __name__: 'job_runs_total', job: JOB, function: fn, instance: c.instance, status: 'succeeded' },
    ]);
    expect(await scalarOf(`push_time_seconds{job="${JOB}", function="${fn}"}`)).toBeGreaterThanOrEqual(Math.floor(before));
  });

  it('rejects a push the server refuses, which the flusher counts as rejected', async () => {
    // Prepare: a path VictoriaMetrics does not serve answers 4xx.
    const strategy = importStrategy({ url: `${VM}/no-such-prefix` });
    const flusher = createFlusher({ url: VM, strategy, intervalMs: 0, timeoutMs: 2000, registry: new Registry(), instance: 'x' });

    // Act
    const result = await flusher.maybeFlush({ functionName: uniqueFunction() });

    // Assess
    expect(result).toEqual({ pushed: false, reason: 'rejected' });
  });
});

describe('METRICS_PUSH_TARGET=victoria-metrics', () => {
  const saved = { target: process.env.METRICS_PUSH_TARGET, url: process.env.VICTORIA_METRICS_URL, pgw: process.env.PUSHGATEWAY_URL };

  afterEach(() => {
    for (const [name, value] of [['METRICS_PUSH_TARGET', saved.target], ['VICTORIA_METRICS_URL', saved.url], ['PUSHGATEWAY_URL', saved.pgw]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetConfig();
    resetMetricsFlusher();
  });

  it('makes the container flush into VictoriaMetrics, not the Pushgateway', async () => {
    // Prepare: a Pushgateway URL that would fail, to show it is not the one used.
    process.env.METRICS_PUSH_TARGET = 'victoria-metrics';
    process.env.VICTORIA_METRICS_URL = VM;
    process.env.PUSHGATEWAY_URL = 'http://127.0.0.1:9';
    resetConfig();
    resetMetricsFlusher();
    const fn = uniqueFunction();

    // Act
    const result = await maybeFlush({ functionName: fn, force: true });

    // Assess: the container registry's own push counter arrives under job="signal-harvester".
    expect(result).toEqual({ pushed: true, reason: 'pushed' });
    expect(await scalarOf(`count(metrics_pushes_total{job="signal-harvester", function="${fn}"})`, 1)).toBe(1);
    expect(containerRegistry.getSingleMetric('metrics_pushes_total')).toBeDefined();
  });
});

describe('the monitoring kit on VictoriaMetrics (MetricsQL)', () => {
  it('runs every alert rule expression', async () => {
    // Act
    const failures: string[] = [];
    for (const rule of alertRules()) {
      const result = await query(rule.expr);
      if (result.status !== 'success') failures.push(`${rule.alert ?? rule.record ?? '?'}: ${result.error ?? result.status}`);
    }

    // Assess
    expect(alertRules().length).toBeGreaterThan(5);
    expect(failures).toEqual([]);
  });

  it('runs every dashboard query, once Grafana has filled in its variables', async () => {
    // Prepare
    const exprs = dashboardFiles().flatMap((file) => dashboardExprs(readDashboard(file)).map((expr) => [file, interpolateGrafanaVariables(expr)] as const));

    // Act
    const failures: string[] = [];
    for (const [file, expr] of exprs) {
      const result = await query(expr);
      if (result.status !== 'success') failures.push(`${file}: ${expr.slice(0, 80)}: ${result.error ?? result.status}`);
    }

    // Assess
    expect(exprs.length).toBeGreaterThan(40);
    expect(failures).toEqual([]);
  });
});
