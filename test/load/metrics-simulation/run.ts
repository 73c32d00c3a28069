// `npm run simulate:metrics`: N simulated Lambda containers (default 100, then 1,000) serve
// requests, push their registries through the production flusher on the production interval and
// budget, and churn (each lives 20–60 s, then a new one takes its place), against the machine's real
// Pushgateway (read through a Prometheus of our own) and its real VictoriaMetrics, private instances
// this run starts on 127.0.0.1 (targets.ts), so the shared services other tests use are untouched.
// Per target and N it reports push latency p50/p99, failed pushes, the target's resident memory
// (peak, from /proc), the series it stores for the run, and whether
// `sum(increase(http_requests_total[5m]))` equals the requests actually made (exact figures and
// error), beside the churn-proof form of the same query. Bounded: every run lasts --duration-s
// (default 60 s) plus a few seconds to settle, and a watchdog ends the whole simulation after 15 min.
//
// Exit code 1 when VictoriaMetrics' figures (plain or churn-proof query) are off by more than 1 %:
// that is the target meant for scale. The Pushgateway's are reported, and warned about when off:
// past its limits it loses pushes, which is why the README says when to switch.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { percentile } from '../../bench/stats.js';
import type { PushStrategy } from '../../../lib/metrics/pushgateway.js';
import { SimulatedContainer } from './container.js';
import { pushgatewayTarget, victoriaMetricsTarget, type Target, type TargetName } from './targets.js';

const { values: args } = parseArgs({
  options: {
    containers: { type: 'string', default: '100,1000' },
    targets: { type: 'string', default: 'pushgateway,victoria-metrics' },
    'duration-s': { type: 'string', default: '60' },
    'interval-ms': { type: 'string', default: '10000' },
    // Production's budget is 300 ms, but here one process plays every container on a shared 2-core
    // box: a wider budget keeps this process' own queueing from counting as the target's failures.
    'timeout-ms': { type: 'string', default: '2000' },
    'rate': { type: 'string', default: '2' },
    'min-life-s': { type: 'string', default: '20' },
    'max-life-s': { type: 'string', default: '60' },
  },
});

const settings = {
  containers: args.containers.split(',').map(Number),
  targets: args.targets.split(',') as TargetName[],
  durationMs: Number(args['duration-s']) * 1000,
  intervalMs: Number(args['interval-ms']),
  timeoutMs: Number(args['timeout-ms']),
  /** Requests per second per container. */
  rate: Number(args.rate),
  minLifeMs: Number(args['min-life-s']) * 1000,
  maxLifeMs: Number(args['max-life-s']) * 1000,
};
const TICK_MS = 100;
const MAX_ERROR = 0.01;
/** After the run, pushes in flight get this long to finish. */
const DRAIN_MS = 30_000;
/** A final push (a container's last) is retried this often, so the run's tail reaches the target. */
const FINAL_PUSH_TRIES = 5;

const print = (line = ''): void => void process.stdout.write(`${line}\n`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface RunResult {
  target: TargetName;
  containers: number;
  started: number;
  pushes: number;
  failed: number;
  failedByReason: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  peakRssBytes: number | undefined;
  series: number | undefined;
  requests: number;
  plain: number | undefined;
  churnProof: number | undefined;
}

/** Times every push of a strategy that succeeds. */
function timed(strategy: PushStrategy, latencies: number[]): PushStrategy {
  return {
    async push(registry, grouping, signal) {
      const started = performance.now();
      await strategy.push(registry, grouping, signal);
      latencies.push(performance.now() - started);
    },
  };
}

async function simulate(target: Target, count: number): Promise<RunResult> {
  const job = `sim-metrics-${target.name}-${String(count)}-${randomBytes(3).toString('hex')}`;
  const latencies: number[] = [];
  const failedByReason: Record<string, number> = {};
  let failed = 0;
  let started = 0;
  let requests = 0;
  let peakRss = target.rssBytes();
  const pending = new Set<Promise<unknown>>();
  const alive = new Map<SimulatedContainer, number>();

  const track = (promise: Promise<unknown>): void => {
    pending.add(promise);
    void promise.finally(() => pending.delete(promise));
  };
  const countResult = (result: { pushed: boolean; reason: string }): void => {
    if (result.pushed || result.reason === 'not_due' || result.reason === 'in_flight') return;
    failed += 1;
    failedByReason[result.reason] = (failedByReason[result.reason] ?? 0) + 1;
  };
  const finalPush = async (container: SimulatedContainer): Promise<void> => {
    for (let attempt = 0; attempt < FINAL_PUSH_TRIES; attempt++) {
      const result = await container.flush(true);
      countResult(result);
      if (result.pushed) return;
    }
  };
  const spawn = (now: number): void => {
    const container = new SimulatedContainer({
      // The run's job label replaces the grouping's job: its series and groups are the run's own.
      functionName: 'signals',
      strategy: timed(withJob(target.strategy(), job), latencies),
      url: target.url,
      intervalMs: settings.intervalMs,
      timeoutMs: settings.timeoutMs,
    });
    started += 1;
    alive.set(container, now + settings.minLifeMs + Math.random() * (settings.maxLifeMs - settings.minLifeMs));
  };

  // The first containers start spread over one interval, as a fleet does, not all in one tick.
  const begin = Date.now();
  const waiting = Array.from({ length: count }, () => begin + Math.random() * settings.intervalMs).sort((a, b) => a - b);
  const perTick = (settings.rate * TICK_MS) / 1000;
  let carry = 0;
  while (Date.now() - begin < settings.durationMs) {
    const tickStart = Date.now();
    while (waiting.length > 0 && (waiting[0] ?? 0) <= tickStart) {
      waiting.shift();
      spawn(tickStart);
    }
    for (const [container, deathAt] of alive) {
      carry += perTick;
      while (carry >= 1) {
        container.serve();
        carry -= 1;
      }
      if (tickStart >= deathAt) {
        alive.delete(container);
        requests += container.requests;
        track(finalPush(container));
        spawn(tickStart);
      } else {
        track(container.flush().then(countResult));
      }
    }
    peakRss = Math.max(peakRss ?? 0, target.rssBytes() ?? 0);
    await sleep(Math.max(0, TICK_MS - (Date.now() - tickStart)));
  }
  for (const container of alive.keys()) {
    requests += container.requests;
    track(finalPush(container));
  }
  // A target that stopped keeping up gets DRAIN_MS to answer what is in flight; the rest fails.
  const drained = await Promise.race([Promise.all([...pending]).then(() => true), sleep(DRAIN_MS).then(() => false)]);
  const unfinished = drained ? 0 : pending.size;
  peakRss = Math.max(peakRss ?? 0, target.rssBytes() ?? 0);

  await target.settle();
  const selector = `http_requests_total{job="${job}"}`;
  const plain = await target.scalar(`sum(increase(${selector}[5m]))`);
  // Series older than the window by increase(); a series born within it (a new container's
  // counters, which start at 0) with its whole value: exact on both targets.
  const churnProof = await target.scalar(
    `(sum(increase(${selector}[5m]) and ${selector} offset 5m) or vector(0)) + (sum(${selector} unless ${selector} offset 5m) or vector(0))`,
  );
  const series = await target.scalar(`count({job="${job}"})`);
  await target.cleanup(job);
  return {
    target: target.name,
    containers: count,
    started,
    pushes: latencies.length,
    failed: failed + unfinished,
    failedByReason: unfinished === 0 ? failedByReason : { ...failedByReason, unfinished },
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    peakRssBytes: peakRss,
    series,
    requests,
    plain,
    churnProof,
  };
}

/** The strategy pushing under `job` instead of the service's job label. */
function withJob(strategy: PushStrategy, job: string): PushStrategy {
  return { push: (registry, grouping, signal) => strategy.push(registry, { ...grouping, job }, signal) };
}

function error(figure: number | undefined, truth: number): number {
  return figure === undefined ? 1 : (figure - truth) / truth;
}

function pct(value: number): string {
  return `${(100 * value).toFixed(2)} %`;
}

function mb(bytes: number | undefined): string {
  return bytes === undefined ? '–' : `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

async function main(): Promise<void> {
  print(
    `metrics simulation: containers ${settings.containers.join(', ')}; push every ${String(settings.intervalMs)} ms (budget ${String(settings.timeoutMs)} ms); ` +
      `${String(settings.rate)} requests/s each; lifetimes ${String(settings.minLifeMs / 1000)}–${String(settings.maxLifeMs / 1000)} s; ${String(settings.durationMs / 1000)} s per run`,
  );
  const results: RunResult[] = [];
  for (const name of settings.targets) {
    const target = name === 'pushgateway' ? await pushgatewayTarget() : await victoriaMetricsTarget();
    try {
      for (const count of settings.containers) {
        print(`… ${name}, ${String(count)} containers`);
        const result = await simulate(target, count);
        results.push(result);
        print(
          `  ${String(result.started)} containers, ${String(result.pushes)} pushes, ${String(result.failed)} failed ${JSON.stringify(result.failedByReason)}, ` +
            `p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, peak RSS ${mb(result.peakRssBytes)}, series ${String(result.series)}; ` +
            `requests ${String(result.requests)}: increase() ${String(result.plain)} (${pct(error(result.plain, result.requests))}), churn-proof ${String(result.churnProof)} (${pct(error(result.churnProof, result.requests))})`,
        );
      }
    } finally {
      await target.close();
    }
  }

  print();
  print('| target | containers (started) | pushes | failed | push p50 | push p99 | target RSS (peak) | series stored | requests made | sum(increase()[5m]) | error | churn-proof query | error |');
  print('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const failures: string[] = [];
  const warnings: string[] = [];
  for (const r of results) {
    const plainError = error(r.plain, r.requests);
    const proofError = error(r.churnProof, r.requests);
    print(
      `| ${r.target} | ${String(r.containers)} (${String(r.started)}) | ${String(r.pushes)} | ${String(r.failed)} | ${r.p50Ms.toFixed(1)} ms | ${r.p99Ms.toFixed(1)} ms | ${mb(r.peakRssBytes)} | ${String(r.series ?? '–')} | ${String(r.requests)} | ${String(r.plain ?? '–')} | ${pct(plainError)} | ${String(r.churnProof ?? '–')} | ${pct(proofError)} |`,
    );
    if (r.target === 'victoria-metrics') {
      if (Math.abs(plainError) > MAX_ERROR) failures.push(`${r.target} ${String(r.containers)}: sum(increase()) off by ${pct(plainError)}`);
      if (Math.abs(proofError) > MAX_ERROR) failures.push(`${r.target} ${String(r.containers)}: churn-proof query off by ${pct(proofError)}`);
    } else if (Math.abs(proofError) > MAX_ERROR || Math.abs(plainError) > MAX_ERROR) {
      warnings.push(`${r.target} ${String(r.containers)}: sum(increase()) off by ${pct(plainError)}, churn-proof by ${pct(proofError)}`);
    }
  }
  print();
  for (const warning of warnings) print(`WARN (the default target past its limits, README "Metrics at scale"): ${warning}`);
  if (failures.length > 0) {
    print(`FAILED: ${failures.join('; ')}`);
    process.exitCode = 1;
  } else {
    print('OK: every check within 1 %');
  }
}

// A run that hangs (a server that stopped answering) must still end by itself.
const watchdog = setTimeout(() => {
  print('FAILED: the simulation did not finish within 15 minutes');
  process.exit(1);
}, 15 * 60_000);
watchdog.unref();
await main();
