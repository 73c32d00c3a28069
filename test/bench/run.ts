// `npm run bench`: the performance budgets, each figure next to a baseline measured in the same
// run. Timings only WARN (a 2-core box is noisy); the bundle size is deterministic and fails the
// run (exit 1) when over budget.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServiceSpec } from '../../infra/local/serverless-config.js';
import { repoRoot, serverlessYmlPath } from '../../infra/local/settings.js';
import { buildFunctionBundle, buildSourceBundle, OWN_CODE, packageShares, type Bundle } from './bundle.js';
import { measureColdImport } from './cold-import.js';
import { readServiceBuildOptions } from './esbuild-options.js';
import { baselineEntrySource, collectLibraryImports, ownSourceFiles } from './library-imports.js';
import { measureLocalRuntime } from './local-runtime.js';
import { measureMetrics } from './metrics.js';
import { measureMiddleware } from './middleware.js';
import { measureStart } from './npm-start.js';
import {
  measureMemoryDecisions,
  measureRateLimitMiddleware,
  measureRedisDecisions,
  type MemoryDecisionsResult,
  type RedisDecisionsResult,
} from './rate-limit.js';
import { diff, formatTable, kb, ms, perSecond, ratio, us, type Row } from './report.js';
import { measureIngest, type IngestMeasures, type IngestResult } from './ingest.js';
import { measureGraph, type GraphBenchResult } from './graph.js';
import { measureKeyFlood, type KeyFloodBenchResult } from './key-flood.js';
import { measureRankings, type RankingsResult } from './rankings.js';
import { measureSignalsList, type SignalsListResult } from './signals-list.js';
import { measureContainerBursts, type ContainerBurstRow } from './rate-limit-containers.js';
import { measureVectorCache, type VectorCacheResult } from './vector-cache.js';
import { measureNearDuplicates, type NearDuplicatesResult } from './near-duplicates.js';
import { measureFeeds, type FeedsResult } from './feeds.js';
import { measureWebPage, type WebPageResult } from './web-page.js';
import { measureDelivery, type DeliverBenchResult } from './deliver.js';

const BUNDLE_BUDGET_BYTES = 400 * 1024;
/** Our code may make a cold import this much slower than its libraries alone. */
const COLD_IMPORT_MAX_RATIO = 1.2;
const COLD_IMPORT_RUNS = 15;
const MIDDLEWARE_BUDGET_US = 50;
const START_RUNS = 3;
const START_TARGET_MS = 1_000;
const LOCAL_REQUEST_BUDGET_US = 1_000;
/** The signals list through the handler may take this much longer than its bare statement. */
const SIGNALS_LIST_MAX_RATIO = 1.5;
const SIGNALS_LIST_P95_BUDGET_MS = 20;
/** The ranking query with read-time decay may take this much longer than the stored-score query (issue 13). */
const DECAY_MAX_RATIO = 1.5;
/** A cached stats answer must be at least this many times as fast as the whole-table statement. */
const STATS_CACHE_MIN_RATIO = 5;
/** The harvest's batched ingest must store at least this many times as fast as one INSERT per row. */
const INGEST_MIN_RATIO = 20;
/**
 * The graph-build job (identifiers, edges, near-duplicates, entities) must keep well ahead of the
 * harvest: at this rate one 5-minute run's budget covers ~300,000 signals, a harvest brings hundreds.
 */
const GRAPH_BUILD_MIN_RATE = 1_000;
/** Our Redis decision may take this long relative to @upstash/ratelimit's on the same bridge. */
const RATE_LIMIT_REDIS_MAX_RATIO = 1.0;
/** Our memory store must decide at least this many times as fast as rate-limiter-flexible's. */
const RATE_LIMIT_MEMORY_MIN_RATIO = 1.0;
const RATE_LIMIT_MIDDLEWARE_BUDGET_US = 20;
/** Four containers' burst on one bucket may admit at most this many (capacity 100; issue 12). */
const CONTAINER_BURST_BOUND = 105;
/** Metrics (middleware + interval pushing) may add this much to a warm request (issue 5). */
const METRICS_BUDGET_US = 30;
/** Near-duplicate detection, a step of the graph-build job, must keep well ahead of the harvest (items/s). */
const NEAR_DUPLICATES_MIN_RATE = 2_000;
/** `BENCH_SKIP_DB=1` leaves out the measures that need Postgres (and ~20 s of seeding). */
const SKIP_DB = process.env.BENCH_SKIP_DB === '1';
/** `BENCH_SKIP_REDIS=1` leaves out the measures that need Redis. */
const SKIP_REDIS = process.env.BENCH_SKIP_REDIS === '1';
/** The web signals page of 50 items may take this much longer than the JSON API's same page (issue 17). */
const WEB_PAGE_MAX_RATIO = 1.5;
/** The page's bytes over the wire (HTML + CSS + JS, compressed), issue 17. */
const WEB_PAGE_WIRE_BUDGET_BYTES = 60 * 1024;
/** `BENCH_FUNCTIONS=web,web-topics`: the bundle and cold-import rows of these functions only. */
const ONLY_FUNCTIONS = process.env.BENCH_FUNCTIONS === undefined || process.env.BENCH_FUNCTIONS === '' ? undefined : new Set(process.env.BENCH_FUNCTIONS.split(','));

interface FunctionBundles {
  name: string;
  bundle: Bundle;
  /** The same options over an entry importing only the libraries the function uses. */
  baseline: Bundle;
}

async function buildBundles(outDir: string): Promise<FunctionBundles[]> {
  const service = readServiceBuildOptions(serverlessYmlPath);
  const spec = loadServiceSpec({ path: serverlessYmlPath });
  const built: FunctionBundles[] = [];
  for (const fn of spec.functions) {
    if (ONLY_FUNCTIONS !== undefined && !ONLY_FUNCTIONS.has(fn.name)) continue;
    const bundle = await buildFunctionBundle(fn, service, repoRoot, outDir);
    const imports = await collectLibraryImports(ownSourceFiles(bundle.metafile, repoRoot));
    const baseline = await buildSourceBundle(`baseline-${fn.name}`, baselineEntrySource(imports), service, repoRoot, outDir);
    built.push({ name: fn.name, bundle, baseline });
  }
  return built;
}

function bundleRow({ name, bundle, baseline }: FunctionBundles): Row {
  const shares = packageShares(bundle, repoRoot);
  const top = shares.filter((share) => share.name !== OWN_CODE).slice(0, 5);
  const own = shares.find((share) => share.name === OWN_CODE)?.bytes ?? 0;
  console.log(`  ${name}: ${String(bundle.bytes)} bytes; own code ${kb(own)}; top packages: ${top.map((s) => `${s.name} ${kb(s.bytes)}`).join(', ')}`);
  return {
    name: `bundle size: ${name}`,
    value: kb(bundle.bytes),
    baseline: `${kb(baseline.bytes)} (libs only)`,
    comparison: `${ratio(bundle.bytes, baseline.bytes)} (${diff(bundle.bytes, baseline.bytes, kb)})`,
    budget: `≤ ${kb(BUNDLE_BUDGET_BYTES)} (${(bundle.bytes / BUNDLE_BUDGET_BYTES).toFixed(2)} of it)`,
    status: bundle.bytes <= BUNDLE_BUDGET_BYTES ? 'PASS' : 'FAIL',
  };
}

async function coldImportRow({ name, bundle, baseline }: FunctionBundles): Promise<Row> {
  const result = await measureColdImport(bundle.file, baseline.file, COLD_IMPORT_RUNS);
  const over = result.functionMs / result.baselineMs;
  console.log(`  ${name}: ${ms(result.functionMs)} vs libraries alone ${ms(result.baselineMs)} (median of ${String(COLD_IMPORT_RUNS)})`);
  return {
    name: `cold import: ${name}`,
    value: ms(result.functionMs),
    baseline: `${ms(result.baselineMs)} (libs only)`,
    comparison: `${ratio(result.functionMs, result.baselineMs)} (${diff(result.functionMs, result.baselineMs, ms)})`,
    budget: `ratio ≤ ${COLD_IMPORT_MAX_RATIO.toFixed(1)}`,
    status: over <= COLD_IMPORT_MAX_RATIO ? 'PASS' : 'WARN',
  };
}

async function middlewareRow(): Promise<Row> {
  const result = await measureMiddleware();
  const delta = result.realUs - result.baselineUs;
  return {
    name: 'warm request: middleware chain',
    value: us(result.realUs),
    baseline: `${us(result.baselineUs)} (bare Hono)`,
    comparison: `${diff(result.realUs, result.baselineUs, us)} (${ratio(result.realUs, result.baselineUs)})`,
    budget: `+≤ ${us(MIDDLEWARE_BUDGET_US)}`,
    status: delta <= MIDDLEWARE_BUDGET_US ? 'PASS' : 'WARN',
  };
}

async function startRow(): Promise<Row> {
  const result = await measureStart(START_RUNS);
  console.log(`  the runtime reports ready_ms ${String(result.reportedReadyMs)} after its own imports`);
  return {
    name: 'npm start: ready',
    value: ms(result.readyMs),
    baseline: `${ms(result.baselineMs)} (tsx -e 0)`,
    comparison: `${diff(result.readyMs, result.baselineMs, ms)} (${ratio(result.readyMs, result.baselineMs)})`,
    budget: `≈ ${ms(START_TARGET_MS)}`,
    status: result.readyMs <= START_TARGET_MS ? 'PASS' : 'WARN',
  };
}

async function localRequestRow(): Promise<Row> {
  const result = await measureLocalRuntime();
  const delta = result.runtimeUs - result.baselineUs;
  return {
    name: 'local request: runtime',
    value: us(result.runtimeUs),
    baseline: `${us(result.baselineUs)} (bare http)`,
    comparison: `${diff(result.runtimeUs, result.baselineUs, us)} (${ratio(result.runtimeUs, result.baselineUs)})`,
    budget: `+< ${us(LOCAL_REQUEST_BUDGET_US)}`,
    status: delta < LOCAL_REQUEST_BUDGET_US ? 'PASS' : 'WARN',
  };
}

function memoryRateLimitRows(result: MemoryDecisionsResult): Row[] {
  const { roomy, tight } = result;
  console.log(
    `  ${result.keys.toLocaleString('en-US')} keys in turn, ${result.decisions.toLocaleString('en-US')} decisions per side, all allowed; ` +
      `at 100/min (${(tight.deniedShare * 100).toFixed(0)}% refused; rate-limiter-flexible rejects each refusal): ` +
      `take ${perSecond(tight.oursTake)}, takeSync ${perSecond(tight.oursTakeSync)}, ` +
      `rate-limiter-flexible ${perSecond(tight.theirs)} (${ratio(tight.oursTake, tight.theirs)})`,
  );
  const row = (name: string, value: number): Row => ({
    name: `rate limit, memory: ${name}`,
    value: perSecond(value),
    baseline: `${perSecond(roomy.theirs)} (rate-limiter-flexible)`,
    comparison: ratio(value, roomy.theirs),
    budget: `ratio ≥ ${RATE_LIMIT_MEMORY_MIN_RATIO.toFixed(1)}`,
    status: value / roomy.theirs >= RATE_LIMIT_MEMORY_MIN_RATIO ? 'PASS' : 'WARN',
  });
  return [row('await take()', roomy.oursTake), row('takeSync()', roomy.oursTakeSync)];
}

async function rateLimitMiddlewareRow(): Promise<Row> {
  const result = await measureRateLimitMiddleware();
  const delta = result.limitedUs - result.baselineUs;
  return {
    name: 'warm request: rate-limit middleware',
    value: us(result.limitedUs),
    baseline: `${us(result.baselineUs)} (no limiter)`,
    comparison: `${diff(result.limitedUs, result.baselineUs, us)} (${ratio(result.limitedUs, result.baselineUs)})`,
    budget: `+≤ ${us(RATE_LIMIT_MIDDLEWARE_BUDGET_US)}`,
    status: delta <= RATE_LIMIT_MIDDLEWARE_BUDGET_US ? 'PASS' : 'WARN',
  };
}

async function metricsRows(target: 'pushgateway' | 'victoria-metrics' = 'pushgateway'): Promise<Row[]> {
  const result = await measureMetrics(target);
  const delta = result.measuredUs - result.baselineUs;
  const suffix = target === 'pushgateway' ? '' : ` (${target})`;
  console.log(
    `  ${target}: ${String(result.pushesDuringCalls)} pushes fell due during the measured calls (every 10 s); ` +
      `one push of ${String(result.seriesPushed)} series: p50 ${ms(result.pushP50Ms)}, p95 ${ms(result.pushP95Ms)}`,
  );
  return [
    {
      name: `warm request: metrics + interval push${suffix}`,
      value: us(result.measuredUs),
      baseline: `${us(result.baselineUs)} (no metrics)`,
      comparison: `${diff(result.measuredUs, result.baselineUs, us)} (${ratio(result.measuredUs, result.baselineUs)})`,
      budget: `+≤ ${us(METRICS_BUDGET_US)}`,
      status: delta <= METRICS_BUDGET_US ? 'PASS' : 'WARN',
    },
    {
      name: `metrics push on loopback p50${suffix}`,
      value: ms(result.pushP50Ms),
      baseline: `p95 ${ms(result.pushP95Ms)}`,
      comparison: `${String(result.seriesPushed)} series`,
      budget: '< 300 ms (push budget)',
      status: result.pushP95Ms < 300 ? 'PASS' : 'WARN',
    },
  ];
}

/** A count per decision, e.g. `1` or `0.05`. */
function perDecision(value: number): string {
  return String(Number(value.toFixed(2)));
}

function redisRateLimitRows(result: RedisDecisionsResult): Row[] {
  const { ours, theirs, limiter, oursCachedDenial: cached, theirsDenial } = result;
  console.log(
    `  ${String(result.samples)} sequential decisions per side, interleaved, each on a fresh identifier (all allowed); ` +
      `RateLimiter.check over the same store: p50 ${us(limiter.p50Us)}, ${perDecision(limiter.httpCallsPerDecision)} HTTP call`,
  );
  console.log(
    `  refused bucket, ${String(cached.checks)} checks: ours from the denial cache p50 ${us(cached.p50Us)}, ` +
      `${perDecision(cached.httpCallsPerDecision)} HTTP calls; @upstash/ratelimit (ephemeralCache off) p50 ${us(theirsDenial.p50Us)}, ` +
      `${perDecision(theirsDenial.httpCallsPerDecision)} HTTP call`,
  );
  const callsAsBudgeted =
    ours.httpCallsPerDecision === 1 &&
    cached.httpCallsPerDecision === 0 &&
    cached.storeCallsPerDecision === 0;
  return [
    {
      name: 'rate limit, Redis: decision p50',
      value: us(ours.p50Us),
      baseline: `${us(theirs.p50Us)} (@upstash/ratelimit)`,
      comparison: `${ratio(ours.p50Us, theirs.p50Us)} (${diff(ours.p50Us, theirs.p50Us, us)})`,
      budget: `ratio ≤ ${RATE_LIMIT_REDIS_MAX_RATIO.toFixed(1)}`,
      status: ours.p50Us / theirs.p50Us <= RATE_LIMIT_REDIS_MAX_RATIO ? 'PASS' : 'WARN',
    },
    {
      name: 'rate limit, Redis: HTTP calls',
      value: `${perDecision(ours.httpCallsPerDecision)} allowed, ${perDecision(cached.httpCallsPerDecision)} denied`,
      baseline: `${perDecision(theirs.httpCallsPerDecision)} allowed, ${perDecision(theirsDenial.httpCallsPerDecision)} denied (@upstash/ratelimit)`,
      comparison: `${diff(ours.httpCallsPerDecision, theirs.httpCallsPerDecision, perDecision)}, ${diff(cached.httpCallsPerDecision, theirsDenial.httpCallsPerDecision, perDecision)}`,
      budget: '1 allowed, 0 denied',
      status: callsAsBudgeted ? 'PASS' : 'WARN',
    },
  ];
}

function containerBurstRows(rows: ContainerBurstRow[]): Row[] {
  for (const row of rows) {
    const reasons = Object.entries(row.reasons).map(([reason, n]) => `${reason} ${String(n)}`).join(', ');
    console.log(`  Redis ${row.redis}: ${String(row.admitted)} admitted of ${String(row.requests)}; decisions: ${reasons}; p99 ${ms(row.p99Ms)}`);
  }
  return rows.map((row) => ({
    name: `rate limit, 4 containers × 1,000: Redis ${row.redis}`,
    value: `${String(row.admitted)} admitted`,
    baseline: `capacity ${String(row.capacity)}`,
    comparison: `p99 ${ms(row.p99Ms)}`,
    budget: `≤ ${String(CONTAINER_BURST_BOUND)}`,
    status: row.admitted <= CONTAINER_BURST_BOUND ? 'PASS' : 'WARN',
  }));
}

/**
 * Issue 13 point 8: the Redis topic-vector cache stays only while a warm Redis lookup beats
 * computing the vectors (ratio < 1). Measured on a local Redis, Redis's best case.
 */
function vectorCacheRows(result: VectorCacheResult): Row[] {
  const pays = result.redisWarmMs < result.computeMs;
  return [
    {
      name: `topic vectors from a warm Redis cache (${String(result.texts)} texts)`,
      value: ms(result.redisWarmMs),
      baseline: `${ms(result.computeMs)} (computed), ${ms(result.memoryWarmMs)} (in-process cache)`,
      comparison: `${ratio(result.redisWarmMs, result.computeMs)} of computing`,
      budget: 'ratio < 1.0 (else drop the Redis cache)',
      status: pays ? 'PASS' : 'WARN',
    },
  ];
}

function rankingsRows(result: RankingsResult): Row[] {
  console.log(`  ${String(result.samples)} samples a side (first page and after 300 rows); read-time decay reads ${result.decayedIndex}; stored score reads ${result.storedIndex}`);
  const statsRatio = result.statsCold.p50Ms / result.statsCached.p50Ms;
  return [
    {
      name: `ranking query p50, read-time decay (${String(result.signals / 1000)}k rows)`,
      value: ms(result.decayed.p50Ms),
      baseline: `${ms(result.stored.p50Ms)} (stored score)`,
      comparison: `${ratio(result.decayed.p50Ms, result.stored.p50Ms)} (${diff(result.decayed.p50Ms, result.stored.p50Ms, ms)})`,
      budget: `ratio ≤ ${DECAY_MAX_RATIO.toFixed(1)}`,
      status: result.decayed.p50Ms / result.stored.p50Ms <= DECAY_MAX_RATIO ? 'PASS' : 'WARN',
    },
    {
      name: 'ranking query p95, read-time decay',
      value: ms(result.decayed.p95Ms),
      baseline: `${ms(result.stored.p95Ms)} (stored score)`,
      comparison: `${ratio(result.decayed.p95Ms, result.stored.p95Ms)} (${diff(result.decayed.p95Ms, result.stored.p95Ms, ms)})`,
      budget: `ratio ≤ ${DECAY_MAX_RATIO.toFixed(1)}`,
      status: result.decayed.p95Ms / result.stored.p95Ms <= DECAY_MAX_RATIO ? 'PASS' : 'WARN',
    },
    {
      name: 'GET /v1/signals/stats p50, cached',
      value: ms(result.statsCached.p50Ms),
      baseline: `${ms(result.statsCold.p50Ms)} (cold: whole-table statement)`,
      comparison: `×${statsRatio.toFixed(0)} faster`,
      budget: `≥ ×${String(STATS_CACHE_MIN_RATIO)}`,
      status: statsRatio >= STATS_CACHE_MIN_RATIO ? 'PASS' : 'WARN',
    },
  ];
}

function signalsListRows(result: SignalsListResult): Row[] {
  console.log(
    `  ${String(result.signals)} signals seeded in ${ms(result.seedMs)}; ${String(result.samples)} samples per side, ` +
      `half on the first page, half on page ${String(result.deepPage)} (by next_cursor)`,
  );
  for (const plan of result.plans) {
    const index = plan.scoreIndexNode === undefined ? 'signals_rank_idx NOT used' : plan.scoreIndexNode;
    console.log(`  EXPLAIN (ANALYZE, BUFFERS) ${plan.page}: ${plan.topNode} <- ${index}; ${plan.executionTime}`);
  }
  const p95Within = result.handler.p95Ms < SIGNALS_LIST_P95_BUDGET_MS;
  const withinRatio = (value: number, baseline: number): boolean => value / baseline <= SIGNALS_LIST_MAX_RATIO;
  return [
    {
      name: `signals list p50 (${String(result.signals / 1000)}k rows)`,
      value: ms(result.handler.p50Ms),
      baseline: `${ms(result.direct.p50Ms)} (same SQL)`,
      comparison: `${ratio(result.handler.p50Ms, result.direct.p50Ms)} (${diff(result.handler.p50Ms, result.direct.p50Ms, ms)})`,
      budget: `ratio ≤ ${SIGNALS_LIST_MAX_RATIO.toFixed(1)}`,
      status: withinRatio(result.handler.p50Ms, result.direct.p50Ms) ? 'PASS' : 'WARN',
    },
    {
      name: 'signals list p95',
      value: ms(result.handler.p95Ms),
      baseline: `${ms(result.direct.p95Ms)} (same SQL)`,
      comparison: `${ratio(result.handler.p95Ms, result.direct.p95Ms)} (${diff(result.handler.p95Ms, result.direct.p95Ms, ms)})`,
      budget: `ratio ≤ ${SIGNALS_LIST_MAX_RATIO.toFixed(1)}, < ${ms(SIGNALS_LIST_P95_BUDGET_MS)}`,
      status: withinRatio(result.handler.p95Ms, result.direct.p95Ms) && p95Within ? 'PASS' : 'WARN',
    },
  ];
}

/** Look-ups a flood may cost: the bucket's capacity plus what refills while it runs (a few). */
const KEY_FLOOD_SLACK = 10;

function keyFloodRow(result: KeyFloodBenchResult): Row {
  const { ours, baseline, keys, capacity } = result;
  const answers = (side: KeyFloodBenchResult['ours']): string =>
    Object.entries(side.statuses)
      .map(([status, count]) => `${String(count)}×${status}`)
      .join(', ');
  console.log(
    `  ${String(keys)} random keys, 8 in flight, one source IP, anonymous capacity ${String(capacity)}: ` +
      `ours ${answers(ours)} (first 429 at #${String(ours.first429 ?? 'none')}) in ${ms(ours.ms)}; ` +
      `baseline ${answers(baseline)} in ${ms(baseline.ms)}`,
  );
  return {
    name: `key flood: DB look-ups per ${String(keys)} random keys`,
    value: String(ours.lookups),
    baseline: `${String(baseline.lookups)} (auth charges nothing)`,
    comparison: ratio(ours.lookups, baseline.lookups),
    budget: `≤ ${String(capacity + KEY_FLOOD_SLACK)} (capacity + refill)`,
    status: ours.lookups <= capacity + KEY_FLOOD_SLACK ? 'PASS' : 'WARN',
  };
}

/** A feed of 100 items through the handler may take this much longer than its page statement (issue 16). */
const FEED_MAX_RATIO = 1.5;

function feedRows(result: FeedsResult): Row[] {
  console.log(`  ${String(result.signals)} signals; Atom feed of ${String(result.items)} items, ${kb(result.feedBytes)}; ${String(result.samples)} samples per side`);
  const row = (name: string, side: FeedsResult['rendered']): Row => ({
    name,
    value: ms(side.p95Ms),
    baseline: `${ms(result.direct.p95Ms)} (same SQL)`,
    comparison: `${ratio(side.p95Ms, result.direct.p95Ms)} (${diff(side.p95Ms, result.direct.p95Ms, ms)})`,
    budget: `ratio ≤ ${FEED_MAX_RATIO.toFixed(1)}`,
    status: side.p95Ms / result.direct.p95Ms <= FEED_MAX_RATIO ? 'PASS' : 'WARN',
  });
  return [
    row(`feed of ${String(result.items)} items p95 (rendered)`, result.rendered),
    row('feed p95 (304 on If-None-Match)', result.notModified),
    // A feed that changed, or a container new to the token: a look-up round trip (~2 ms) and the XML
    // writer (~2.5 ms for 100 Atom items) on top of the page every time, so about ×2 the statement at
    // p50 (a ~7 ms statement here). Its p95 ratio moves with the box's load (×1.5–1.85 when others
    // run, nearer ×2 when quiet: load stretches the statement's tail more than the added work), not with
    // the code. Shown against the same ratio, for the record.
    row('feed p95 (rendered, caches cleared)', result.uncached),
  ];
}

function webPageRows(result: WebPageResult): Row[] {
  console.log(
    `  ${String(result.signals)} signals; ${String(result.samples)} samples per side (first page and page ${String(result.deepPage)}); ` +
      `HTML ${kb(result.htmlBytes.raw)} raw, ${kb(result.htmlBytes.br)} brotli, ${kb(result.htmlBytes.gzip)} gzip; ` +
      `CSS ${kb(result.cssBytes.raw)} raw, ${kb(result.cssBytes.br)} brotli; ${String(result.scriptCount)} scripts`,
  );
  const row = (name: string, ours: number, theirs: number): Row => ({
    name,
    value: ms(ours),
    baseline: `${ms(theirs)} (GET /v1/signals, same page)`,
    comparison: `${ratio(ours, theirs)} (${diff(ours, theirs, ms)})`,
    budget: `ratio ≤ ${WEB_PAGE_MAX_RATIO.toFixed(1)}`,
    status: ours / theirs <= WEB_PAGE_MAX_RATIO ? 'PASS' : 'WARN',
  });
  const wire = result.htmlBytes.br + result.cssBytes.br;
  return [
    row(`web signals page of 50 p50 (${String(result.signals / 1000)}k rows)`, result.page.p50Ms, result.api.p50Ms),
    row('web signals page of 50 p95', result.page.p95Ms, result.api.p95Ms),
    {
      name: 'web signals page: bytes over the wire',
      value: kb(wire),
      baseline: `HTML ${kb(result.htmlBytes.br)} + CSS ${kb(result.cssBytes.br)} + JS 0 (brotli)`,
      comparison: `${kb(result.htmlBytes.raw + result.cssBytes.raw)} uncompressed`,
      budget: `≤ ${kb(WEB_PAGE_WIRE_BUDGET_BYTES)}`,
      status: wire <= WEB_PAGE_WIRE_BUDGET_BYTES ? 'PASS' : 'FAIL',
    },
  ];
}

function ingestRows({ ingest, withGraph, rowByRow }: IngestMeasures): Row[] {
  const mb = (value: number): string => `${value.toFixed(1)} MB`;
  for (const side of [ingest, withGraph, rowByRow]) {
    console.log(
      `  ${side.mode}: ${String(side.items)} items in ${ms(side.ms)} (ingest ${ms(side.ingestMs)}, graph pass ${ms(side.graphMs)}); ` +
        `heap ${mb(side.startHeapMb)} → peak ${mb(side.peakHeapMb)}, peak RSS ${mb(side.peakRssMb)}; ${String(side.edges)} graph edges, ${String(side.nearDuplicates)} near-duplicate edges`,
    );
  }
  const rate = (value: number): string => `${Math.round(value).toLocaleString('en-US')} items/s`;
  const baseline = `${rate(rowByRow.itemsPerSecond)} (INSERT per row)`;
  const rows = (result: IngestResult, name: string): Row => ({
    name,
    value: rate(result.itemsPerSecond),
    baseline,
    comparison: ratio(result.itemsPerSecond, rowByRow.itemsPerSecond),
    budget: `ratio ≥ ${String(INGEST_MIN_RATIO)}`,
    status: result.itemsPerSecond / rowByRow.itemsPerSecond >= INGEST_MIN_RATIO ? 'PASS' : 'WARN',
  });
  const graphRate = (withGraph.items / withGraph.graphMs) * 1000;
  return [
    rows(ingest, `harvest ingest as discover runs it, graph on (${String(ingest.items / 1000)}k items)`),
    {
      name: 'harvest ingest: peak heap',
      value: mb(ingest.peakHeapMb),
      baseline: `${mb(rowByRow.peakHeapMb)} (INSERT per row)`,
      comparison: `${diff(ingest.peakHeapMb, ingest.startHeapMb, mb)} over start`,
      budget: 'bounded (3 batches)',
      status: ingest.peakHeapMb - ingest.startHeapMb < 100 ? 'PASS' : 'WARN',
    },
    {
      // The job runs after the harvest, not in it: its rate is held to keeping up, and the sum
      // is shown against one INSERT per row for the record.
      name: 'graph-build pass over the same items (the job, after the ingest)',
      value: rate(graphRate),
      baseline: `${rate((ingest.items / ingest.ingestMs) * 1000)} (the ingest)`,
      comparison: `${String(withGraph.edges)} edges (${String(withGraph.nearDuplicates)} same_as); ingest + pass ${ratio(withGraph.itemsPerSecond, rowByRow.itemsPerSecond)} INSERT per row`,
      budget: `≥ ${rate(GRAPH_BUILD_MIN_RATE)}`,
      status: graphRate >= GRAPH_BUILD_MIN_RATE ? 'PASS' : 'WARN',
    },
    {
      name: 'harvest ingest + graph-build pass: peak heap',
      value: mb(withGraph.peakHeapMb),
      baseline: `${mb(ingest.peakHeapMb)} (the ingest)`,
      comparison: `${diff(withGraph.peakHeapMb, withGraph.startHeapMb, mb)} over start`,
      budget: 'bounded (one batch of 500)',
      status: withGraph.peakHeapMb - withGraph.startHeapMb < 150 ? 'PASS' : 'WARN',
    },
  ];
}

/** The depth-3 graph through the handler may take this much longer than its statements alone. */
const GRAPH_MAX_RATIO = 1.5;
const GRAPH_P95_BUDGET_MS = 20;

function graphRows(result: GraphBenchResult): Row[] {
  console.log(
    `  ${String(result.signals)} signals and ${String(result.edges)} edges seeded in ${ms(result.seedMs)}; the graph has ` +
      `${String(result.nodes)} nodes and ${String(result.graphEdges)} edges (truncated: ${String(result.truncated)}), ` +
      `${String(result.statements)} statements; ${String(result.samples)} samples per side`,
  );
  const withinRatio = result.handler.p95Ms / result.direct.p95Ms <= GRAPH_MAX_RATIO;
  return [
    {
      name: `graph depth 3 p50 (${String(result.signals / 1000)}k signals, ${String(result.edges / 1000)}k edges)`,
      value: ms(result.handler.p50Ms),
      baseline: `${ms(result.direct.p50Ms)} (same SQL)`,
      comparison: `${ratio(result.handler.p50Ms, result.direct.p50Ms)} (${diff(result.handler.p50Ms, result.direct.p50Ms, ms)})`,
      budget: `ratio ≤ ${GRAPH_MAX_RATIO.toFixed(1)}`,
      status: result.handler.p50Ms / result.direct.p50Ms <= GRAPH_MAX_RATIO ? 'PASS' : 'WARN',
    },
    {
      name: 'graph depth 3 p95',
      value: ms(result.handler.p95Ms),
      baseline: `${ms(result.direct.p95Ms)} (same SQL)`,
      comparison: `${ratio(result.handler.p95Ms, result.direct.p95Ms)} (${diff(result.handler.p95Ms, result.direct.p95Ms, ms)})`,
      budget: `ratio ≤ ${GRAPH_MAX_RATIO.toFixed(1)}, < ${ms(GRAPH_P95_BUDGET_MS)}`,
      status: withinRatio && result.handler.p95Ms < GRAPH_P95_BUDGET_MS ? 'PASS' : 'WARN',
    },
    {
      name: 'graph depth 3 p95: one recursive statement vs one per level',
      value: ms(result.direct.p95Ms),
      baseline: `${ms(result.perLevel.p95Ms)} (per level + nodes)`,
      comparison: ratio(result.direct.p95Ms, result.perLevel.p95Ms),
      budget: 'informative (the faster is used)',
      status: result.direct.p95Ms <= result.perLevel.p95Ms ? 'PASS' : 'WARN',
    },
  ];
}

/** The sweep must deliver at least this many times as fast as a one-at-a-time loop (issue 16). */
const DELIVER_MIN_RATIO = 5;

function deliverRows({ sweep, naive, received }: DeliverBenchResult): Row[] {
  const mb = (value: number): string => `${value.toFixed(1)} MB`;
  for (const side of [sweep, naive]) {
    console.log(
      `  ${side.mode}: ${String(side.delivered)} delivered in ${ms(side.ms)}; heap ${mb(side.startHeapMb)} → peak ${mb(side.peakHeapMb)}, ` +
        `peak RSS ${mb(side.peakRssMb)}; the receiver verified ${String(received[side.mode])}`,
    );
  }
  const rate = (value: number): string => `${Math.round(value).toLocaleString('en-US')} items/s`;
  const exact = received.sweep === sweep.items && received.naive === naive.items;
  return [
    {
      name: `webhook sweep (${String(sweep.items / 1000)}k pending, local receiver)`,
      value: rate(sweep.itemsPerSecond),
      baseline: `${rate(naive.itemsPerSecond)} (one at a time, first ${String(naive.items / 1000)}k)`,
      comparison: ratio(sweep.itemsPerSecond, naive.itemsPerSecond),
      budget: `ratio ≥ ${String(DELIVER_MIN_RATIO)}, each once`,
      status: !exact ? 'FAIL' : sweep.itemsPerSecond / naive.itemsPerSecond >= DELIVER_MIN_RATIO ? 'PASS' : 'WARN',
    },
    {
      name: 'webhook sweep: peak heap',
      value: mb(sweep.peakHeapMb),
      baseline: `${mb(naive.peakHeapMb)} (one at a time)`,
      comparison: `${diff(sweep.peakHeapMb, sweep.startHeapMb, mb)} over start`,
      budget: 'bounded (one claimed batch)',
      status: sweep.peakHeapMb - sweep.startHeapMb < 100 ? 'PASS' : 'WARN',
    },
  ];
}

function nearDuplicateRows(result: NearDuplicatesResult): Row[] {
  const mb = (value: number): string => `${value.toFixed(1)} MB`;
  const rate = (value: number): string => `${Math.round(value).toLocaleString('en-US')} items/s`;
  console.log(
    `  ${String(result.items)} items in ${ms(result.ms)}; heap ${mb(result.startHeapMb)} → peak ${mb(result.peakHeapMb)}, peak RSS ${mb(result.peakRssMb)}; ` +
      `planted pairs found ${String(result.found)}/${String(result.planted)}, edges ${String(result.edges)} (${String(result.falseEdges)} across stories)`,
  );
  return [
    {
      name: `near-duplicate detection (${String(result.items / 1000)}k items)`,
      value: rate(result.itemsPerSecond),
      baseline: `${rate(result.fingerprintPerSecond)} (fingerprints alone)`,
      comparison: `recall ${((100 * result.found) / Math.max(1, result.planted)).toFixed(1)} %, ${String(result.falseEdges)} false edges`,
      budget: `≥ ${rate(NEAR_DUPLICATES_MIN_RATE)}`,
      status: result.itemsPerSecond >= NEAR_DUPLICATES_MIN_RATE ? 'PASS' : 'WARN',
    },
    {
      name: 'near-duplicate detection: peak heap',
      value: mb(result.peakHeapMb),
      baseline: mb(result.startHeapMb),
      comparison: `${diff(result.peakHeapMb, result.startHeapMb, mb)} over start; peak RSS ${mb(result.peakRssMb)}`,
      budget: '< 100 MB over start',
      status: result.peakHeapMb - result.startHeapMb < 100 ? 'PASS' : 'WARN',
    },
  ];
}

/**
 * `npm run bench -- feeds signals-list`: only the named groups (any of BENCH_GROUPS); none named
 * runs them all. A 2-core box shared with others should not run the whole bench to check one row.
 */
const BENCH_GROUPS = [
  'bundle', 'cold-import', 'middleware', 'metrics', 'start', 'local-runtime', 'rate-limit',
  'rate-limit-redis', 'signals-list', 'rankings', 'feeds', 'ingest', 'graph', 'near-duplicates', 'deliver', 'key-flood', 'web',
] as const;
type BenchGroup = (typeof BENCH_GROUPS)[number];
const requested = process.argv.slice(2);
const unknownGroups = requested.filter((name) => !(BENCH_GROUPS as readonly string[]).includes(name));
if (unknownGroups.length > 0) {
  console.error(`unknown bench group(s): ${unknownGroups.join(', ')}; known: ${BENCH_GROUPS.join(', ')}`);
  process.exit(2);
}
const wants = (group: BenchGroup): boolean => requested.length === 0 || requested.includes(group);

const started = performance.now();
const outDir = await mkdtemp(join(tmpdir(), 'signal-harvester-bench-'));
const rows: Row[] = [];
try {
  if (wants('bundle') || wants('cold-import')) {
    console.log('bundle size (serverless.yml custom.esbuild options; baseline = the same libraries without our code):');
    const bundles = await buildBundles(outDir);
    if (wants('bundle')) rows.push(...bundles.map(bundleRow));

    if (wants('cold-import')) {
      console.log(`cold import in a fresh node process (our code should add little: ratio ≤ ${COLD_IMPORT_MAX_RATIO.toFixed(1)}):`);
      for (const built of bundles) rows.push(await coldImportRow(built));
    }
  }

  if (wants('middleware')) {
    console.log('warm request through the middleware chain (2,000 warm-up + 20,000 calls each, logs to /dev/null)…');
    rows.push(await middlewareRow());
  }

  if (wants('metrics')) {
    console.log('warm request with and without metrics (middleware + flush every 10 s to the real Pushgateway; 2,000 warm-up + 20,000 calls each)…');
    rows.push(...(await metricsRows()));
    rows.push(...(await metricsRows('victoria-metrics')));
  }

  if (wants('start')) {
    console.log(`npm start readiness (median of ${String(START_RUNS)})…`);
    rows.push(await startRow());
  }

  if (wants('local-runtime')) {
    console.log('local runtime request overhead (2,000 keep-alive GETs each)…');
    rows.push(await localRequestRow());
  }

  if (wants('rate-limit')) {
    console.log('rate limiting, memory store: decisions per second vs rate-limiter-flexible (1,000 keys in turn)…');
    rows.push(...memoryRateLimitRows(await measureMemoryDecisions()));

    console.log('warm request with and without the rate-limit middleware (memory store; 2,000 warm-up + 20,000 calls each, logs to /dev/null)…');
    rows.push(await rateLimitMiddlewareRow());
  }

  if (wants('rate-limit-redis') && SKIP_REDIS) {
    console.log('rate limiting on real Redis: skipped (BENCH_SKIP_REDIS=1)');
  } else if (wants('rate-limit-redis')) {
    console.log(
      'rate limiting through the Upstash bridge to real Redis (ours vs @upstash/ratelimit; ' +
        'needs Redis on 127.0.0.1:6379, `npm run services`, or BENCH_SKIP_REDIS=1 to skip)…',
    );
    rows.push(...redisRateLimitRows(await measureRedisDecisions()));
    console.log(
      'rate limiting, 4 containers (child processes) × 1,000 concurrent decisions on one bucket of 100, ' +
        'Redis healthy / slowed by 80 ms (delaying TCP proxy) / black-holed…',
    );
    rows.push(...containerBurstRows(await measureContainerBursts()));
    console.log('topic vectors: computed vs a warm Redis cache (local bridge) vs the in-process cache…');
    rows.push(...vectorCacheRows(await measureVectorCache()));
  }

  if (SKIP_DB) {
    console.log('signals list on real Postgres: skipped (BENCH_SKIP_DB=1)');
  } else {
    if (wants('signals-list')) {
      console.log(
        'signals list on real Postgres (GET /v1/signals?sort=score&limit=50 through the handler vs the same SQL on the same pool; ' +
          'needs Postgres on 127.0.0.1:5432, `npm run services`, or BENCH_SKIP_DB=1 to skip)…',
      );
      rows.push(...signalsListRows(await measureSignalsList()));
    }
    if (wants('rankings')) {
      console.log('rankings on real Postgres (sort=score with read-time decay vs the stored-score query; stats cold vs cached)…');
      rows.push(...rankingsRows(await measureRankings()));
    }
    if (wants('feeds')) {
      console.log('a watch feed on real Postgres (GET /v1/feeds/{token}.atom?limit=100 through the handler, rendered and 304, vs the same SQL on the same pool)…');
      rows.push(...feedRows(await measureFeeds()));
    }
    if (wants('ingest')) {
      console.log('harvest ingest of 20,000 items into real Postgres through the Neon driver (batched upsert vs one INSERT per row, each in its own process)…');
      rows.push(...ingestRows(await measureIngest()));
    }
    if (wants('graph')) {
      console.log('the depth-3 graph of a signal on real Postgres (GET /v1/signals/{id}/graph?depth=3 through the handler vs its statements on the same pool)…');
      rows.push(...graphRows(await measureGraph()));
    }
    if (wants('deliver')) {
      console.log('the deliver sweep: 10,000 pending webhooks to a local receiver that verifies each signature (the sweep vs one at a time, each in its own process)…');
      rows.push(...deliverRows(await measureDelivery()));
    }
    if (wants('near-duplicates')) {
      console.log('near-duplicate detection over 20,000 stored items on real Postgres (fingerprints, band keys, edges and groups, per batch of 500)…');
      rows.push(...nearDuplicateRows(await measureNearDuplicates()));
    }
  }

  if (wants('key-flood') && (SKIP_DB || SKIP_REDIS)) {
    console.log('key flood: skipped (needs Postgres and Redis; BENCH_SKIP_DB or BENCH_SKIP_REDIS is set)');
  } else if (wants('key-flood')) {
    console.log('key flood: 1,000 random API keys from one address, failed authentication charged to its bucket vs charged nothing (real Postgres and Redis)…');
    rows.push(keyFloodRow(await measureKeyFlood()));
  }

  if (wants('web') && SKIP_DB) {
    console.log('web signals page on real Postgres: skipped (BENCH_SKIP_DB=1)');
  } else if (wants('web')) {
    console.log('web dashboard: GET /signals?sort=score&limit=50 through the web handler (brotli, as a browser asks) vs GET /v1/signals through the signals handler, on real Postgres…');
    rows.push(...webPageRows(await measureWebPage()));
  }
} finally {
  await rm(outDir, { recursive: true, force: true });
}

console.log(`\n${formatTable(rows)}\n`);
const failed = rows.filter((row) => row.status === 'FAIL');
const warned = rows.filter((row) => row.status === 'WARN');
console.log(
  `${String(rows.length - failed.length - warned.length)} pass, ${String(warned.length)} warn, ${String(failed.length)} fail ` +
    `in ${((performance.now() - started) / 1000).toFixed(1)} s. WARN is informative (timings are noisy); FAIL (bundle size) exits 1.`,
);
if (failed.length > 0) process.exitCode = 1;
