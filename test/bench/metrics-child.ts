// Child process of metrics.ts: what metrics add to a warm invocation, and what one push costs.
// The same trivial route behind hono/aws-lambda, with and without the metrics middleware and the
// flush that toLambdaHandler runs after each invocation (interval pushing to the real Pushgateway,
// so the pushes that fall due are part of the measured time). Then pushes back to back on loopback.
import { Hono } from 'hono';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { metrics } from '../../lib/http/middleware/metrics.js';
import type { AppEnv } from '../../lib/http/env.js';
import { createFlusher, groupingPath, maybeFlush, pushesTotal, PUSH_JOB, containerId } from '../../lib/metrics/pushgateway.js';
import { importStrategy } from '../../lib/metrics/victoria-metrics.js';
// A production container's registry holds every family of the catalogue (its modules register them
// on import), not only the HTTP ones this route moves: each push serialises them all.
import '../../lib/metrics/cache-metrics.js';
import '../../lib/metrics/db-metrics.js';
import '../../lib/metrics/embedding-metrics.js';
import '../../lib/metrics/error-metrics.js';
import '../../lib/metrics/harvest-metrics.js';
import '../../lib/metrics/job-metrics.js';
import '../../lib/metrics/llm-metrics.js';
import '../../lib/metrics/rate-limit-metrics.js';
import '../../lib/metrics/topic-metrics.js';
import { reportToParent } from './child.js';
import { benchLambdaContext, getEvent } from './fixtures.js';
import { interleave, percentile } from './stats.js';

export interface MetricsResult {
  /** Mean µs per call with the middleware and interval pushing. */
  measuredUs: number;
  /** Mean µs per call of the same route without metrics. */
  baselineUs: number;
  /** Pushes that fell due during the measured calls. */
  pushesDuringCalls: number;
  /** One push of this registry (series count below) to the Pushgateway on loopback. */
  pushP50Ms: number;
  pushP95Ms: number;
  seriesPushed: number;
}

const PATH = '/bench/things/:id';
const FUNCTION_NAME = 'metrics-bench';
const WARM_UP_CALLS = 2_000;
const ROUNDS = 8;
const CALLS_PER_ROUND = 2_500;
const PUSHES = 200;
const pushgatewayUrl = process.env.PUSHGATEWAY_URL;
const victoriaMetricsUrl = process.env.VICTORIA_METRICS_URL;
const toVictoria = process.env.METRICS_PUSH_TARGET === 'victoria-metrics';
if (pushgatewayUrl === undefined || victoriaMetricsUrl === undefined) throw new Error('PUSHGATEWAY_URL and VICTORIA_METRICS_URL must be set (metrics.ts sets them)');

const event = getEvent('/bench/things/42', '/bench/things/{id}');
const context = benchLambdaContext(FUNCTION_NAME);

type Call = () => Promise<{ statusCode?: number }>;

function app(withMetrics: boolean): Hono<AppEnv> {
  const hono = new Hono<AppEnv>();
  if (withMetrics) hono.use(metrics());
  hono.get(PATH, (c) => c.json({ id: c.req.param('id') }));
  return hono;
}

const measuredHandler = handle(app(true));
const baselineHandler = handle(app(false));
// What toLambdaHandler does after the app has answered.
const measuredCall: Call = async () => {
  const result = await measuredHandler(event as unknown as LambdaEvent, context);
  await maybeFlush({ functionName: FUNCTION_NAME, remainingMs: context.getRemainingTimeInMillis() });
  return result;
};
const baselineCall: Call = () => baselineHandler(event as unknown as LambdaEvent, context);

async function callsTake(call: Call, count: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    const result = await call();
    if (result.statusCode !== 200) throw new Error(`GET ${PATH} answered ${String(result.statusCode)}`);
  }
  return performance.now() - started;
}

await callsTake(measuredCall, WARM_UP_CALLS);
await callsTake(baselineCall, WARM_UP_CALLS);
const pushesBefore = (await pushesTotal.get()).values[0]?.value ?? 0;
let measuredMs = 0;
let baselineMs = 0;
await interleave(ROUNDS, [
  async () => void (measuredMs += await callsTake(measuredCall, CALLS_PER_ROUND)),
  async () => void (baselineMs += await callsTake(baselineCall, CALLS_PER_ROUND)),
]);
const pushesDuringCalls = ((await pushesTotal.get()).values[0]?.value ?? 0) - pushesBefore;

const flusher = toVictoria
  ? createFlusher({ url: victoriaMetricsUrl, strategy: importStrategy({ url: victoriaMetricsUrl }), intervalMs: 0, timeoutMs: 2_000 })
  : createFlusher({ url: pushgatewayUrl, intervalMs: 0, timeoutMs: 2_000 });
const pushMs: number[] = [];
for (let i = 0; i < PUSHES; i += 1) {
  const started = performance.now();
  const result = await flusher.maybeFlush({ functionName: FUNCTION_NAME });
  if (!result.pushed) throw new Error(`push failed: ${result.reason}`);
  pushMs.push(performance.now() - started);
}
const { registry } = await import('../../lib/metrics/registry.js');
const seriesPushed = (await registry.metrics()).split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
if (toVictoria) {
  await fetch(`${victoriaMetricsUrl}/api/v1/admin/tsdb/delete_series?match[]=${encodeURIComponent(`{function="${FUNCTION_NAME}", instance="${containerId}"}`)}`, { method: 'POST' });
} else {
  await fetch(`${pushgatewayUrl}/metrics${groupingPath({ job: PUSH_JOB, function: FUNCTION_NAME, instance: containerId })}`, { method: 'DELETE' });
}

const calls = ROUNDS * CALLS_PER_ROUND;
reportToParent({
  measuredUs: (measuredMs * 1000) / calls,
  baselineUs: (baselineMs * 1000) / calls,
  pushesDuringCalls,
  pushP50Ms: percentile(pushMs, 50),
  pushP95Ms: percentile(pushMs, 95),
  seriesPushed,
} satisfies MetricsResult);
