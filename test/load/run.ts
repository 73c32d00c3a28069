// `npm run loadtest`: real HTTP load (autocannon) against the local runtime serving the real
// handlers of serverless.yml on real services — a fresh Postgres database (seeded, reached through
// the Neon bridge as production reaches Neon) and the machine's Redis behind the Upstash bridge, so
// the rate limiter runs its real Lua script in Redis. Mixed traffic at a fixed rate (see traffic.ts
// for the classes and why the anonymous one is the abusive client), then a table per route class,
// the API-key cache hit rate from GET /metrics, and the checks: the seed's criteria fail the run
// (exit 1), our own targets only warn. Everything listens on 127.0.0.1 and stops by itself.
//
// Three processes: this one generates the load; runtime-child.ts serves it (one Node process for
// every function, as `npm start`); bridges-child.ts runs both bridges, which stand in for the
// network and Neon's and Upstash's proxies. The box has 2 cores shared with Postgres and Redis, so
// the runtime's own CPU per request is reported too: it is what a Lambda container would spend.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis as IORedis } from 'ioredis';
import { loadServiceSpec } from '../../infra/local/serverless-config.js';
import { repoRoot, serverlessYmlPath } from '../../infra/local/settings.js';
import { sql } from '../../lib/db/sql.js';
import { bucketKey } from '../../lib/ratelimit/bucket-key.js';
import { closeDatabases, createPostgresDatabase, type TestDatabase } from '../support/databases.js';
import { services } from '../support/services.js';
import { seedSignals } from '../support/signal-factory.js';
import { parseLoadOptions, USAGE, type LoadOptions } from './options.js';
import type { BridgesReady } from './bridges-child.js';
import type { RuntimeReady, RuntimeUsage } from './runtime-child.js';
import {
  counterValue,
  emptySamples,
  evaluate,
  failed,
  formatChecks,
  formatRows,
  histogramQuantile,
  summarise,
  summariseOverall,
  type ClassSamples,
} from './summary.js';
import { LANE_CONNECTIONS, laneRequests, MIX, planTraffic, ROUTE_CLASSES, type Lane, type RequestPool, type RouteClass, type TrafficPlan } from './traffic.js';

/** Seconds a request may take before it counts as a timeout (the API functions' Lambda timeout). */
const REQUEST_TIMEOUT_S = 10;
/** The whole run is stopped after its traffic plus this long. */
const WATCHDOG_EXTRA_MS = 120_000;
/** Variables of the developer's shell that must not reach the runtime: it gets exactly this run's services. */
const NOT_INHERITED = /^(UPSTASH_|DATABASE_URL$|NEON_WS_PROXY$|PUSHGATEWAY_URL$|SECRETS_|PGLITE_DIR$|ADMIN_API_KEY$|LAMBDA_ENDPOINT$|PORT$)/;

const print = (line = ''): void => void process.stdout.write(`${line}\n`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `redis://host:port` with `/db` as its path. */
function redisDatabaseUrl(base: string, db: number): string {
  const url = new URL(base);
  url.pathname = `/${String(db)}`;
  return url.toString();
}

function inheritedEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!NOT_INHERITED.test(name)) env[name] = value;
  return env;
}

interface Bridges extends BridgesReady {
  token: string;
}

function runtimeEnvironment(options: LoadOptions, database: TestDatabase, bridges: Bridges, adminKey: string): NodeJS.ProcessEnv {
  return {
    ...inheritedEnvironment(),
    DATABASE_URL: database.url,
    NEON_WS_PROXY: bridges.neonWsProxy,
    UPSTASH_REDIS_REST_URL: bridges.upstashUrl,
    UPSTASH_REDIS_REST_TOKEN: bridges.token,
    ADMIN_API_KEY: adminKey,
    LOG_LEVEL: 'warn',
    DB_POOL_MAX: String(options.dbPoolMax),
    ...(options.redisTimeoutMs === 0 ? {} : { RATE_LIMIT_REDIS_TIMEOUT_MS: String(options.redisTimeoutMs) }),
  };
}

/** Starts a script of this folder in its own process and resolves with its first IPC message. */
async function startChild<T>(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; ready: T }> {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), [...args], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx'],
    env,
    // Its warnings and errors (LOG_LEVEL=warn) belong in the report; stdin is not its business.
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 60 s`)), 60_000);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as T); // our own child, whose first message is exactly this
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${String(code)} before it was ready`));
    });
  });
  try {
    return { child, ready: await ready };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** CPU time the runtime process has used so far, ms. */
async function runtimeUsage(child: ChildProcess): Promise<RuntimeUsage> {
  const answer = new Promise<RuntimeUsage>((resolve) => {
    const listener = (message: unknown): void => {
      if ((message as { type?: string }).type !== 'usage') return;
      child.off('message', listener);
      resolve(message as RuntimeUsage);
    };
    child.on('message', listener);
  });
  child.send('usage');
  return answer;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function adminJson<T>(url: string, adminKey: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'x-api-key': adminKey, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${String(response.status)}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Creates `count` keys through the admin API: mostly api_key tier, every fourth premium. */
async function createKeys(url: string, adminKey: string, count: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const tier = i % 4 === 3 ? 'premium' : 'api_key';
    const created = await adminJson<{ key: string }>(url, adminKey, '/v1/admin/keys', { method: 'POST', body: { name: `loadtest-${String(i)}`, tier } });
    keys.push(created.key);
  }
  return keys;
}

async function signalIds(url: string, adminKey: string): Promise<string[]> {
  const ids = new Set<string>();
  for (const sort of ['score', 'published_at', 'fetched_at']) {
    const page = await adminJson<{ items: Array<{ id: string }> }>(url, adminKey, `/v1/signals?sort=${sort}&limit=100`);
    for (const item of page.items) ids.add(item.id);
  }
  return [...ids];
}

/** Runs one lane for `durationSeconds`, adding what it sees to `sink`. */
function runLane(url: string, lane: Lane, pool: RequestPool, seed: number, durationSeconds: number, sink: ClassSamples): Promise<void> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        // A client given a rate of 0 would send unthrottled: never more connections than requests a second.
        connections: Math.min(LANE_CONNECTIONS, lane.rate),
        overallRate: lane.rate,
        duration: durationSeconds,
        timeout: REQUEST_TIMEOUT_S,
        requests: laneRequests(lane, pool, seed),
      },
      (error, result) => {
        if (error !== null && error !== undefined) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        sink.socketErrors += result.errors;
        sink.timeouts += result.timeouts;
        resolve();
      },
    );
    // Raw response times, any status: autocannon's own histogram records 2xx only and, at a fixed
    // rate, adds synthetic samples for coordinated omission that skew short requests.
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      sink.latenciesMs.push(responseTime);
      sink.statuses.set(statusCode, (sink.statuses.get(statusCode) ?? 0) + 1);
    });
  });
}

/** Starts every lane at its offset within the first second and waits for all of them. */
async function runLanes(url: string, lanes: readonly Lane[], pool: RequestPool, seed: number, durationSeconds: number): Promise<Record<RouteClass, ClassSamples>> {
  const samples = Object.fromEntries(ROUTE_CLASSES.map((name) => [name, emptySamples()])) as Record<RouteClass, ClassSamples>;
  await Promise.all(
    lanes.map(async (lane, index) => {
      await sleep(lane.offsetMs);
      await runLane(url, lane, pool, seed * 1000 + index, durationSeconds, samples[lane.routeClass]);
    }),
  );
  return samples;
}

function describePlan(options: LoadOptions, plan: TrafficPlan, dbPoolMax: string, redisTimeout: string): void {
  print(`Signal Harvester load test — ${String(options.rate)} req/s for ${String(options.durationSeconds)} s (+${String(options.warmupSeconds)} s warm-up), seed ${String(options.seed)}`);
  print(`  local runtime in its own process; Postgres: fresh database, ${String(options.signals)} signals, via the Neon bridge (DB_POOL_MAX ${dbPoolMax});`);
  print(
    `  Redis db ${String(options.redisDb)} via the Upstash bridge (RATE_LIMIT_REDIS_TIMEOUT_MS ${redisTimeout}); ${String(plan.keys)} API keys; ${String(plan.lanes.length)} autocannon lanes`,
  );
  for (const name of ROUTE_CLASSES) {
    print(`  ${name.padEnd(10)} ${String(plan.rates[name]).padStart(4)} req/s  ${MIX[name].caller === 'key' ? 'with keys ' : 'anonymous '} ${MIX[name].description}`);
  }
  print();
}

async function main(): Promise<number> {
  let options: LoadOptions;
  try {
    options = parseLoadOptions(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const started = performance.now();
  // This process's own log lines (the migrations of the fresh database) are not the report.
  process.env.LOG_LEVEL = 'error';
  const adminKey = `loadtest-${randomBytes(24).toString('hex')}`;
  const redisUrl = redisDatabaseUrl(services.redisUrl, options.redisDb);

  const cleanups: Array<() => Promise<unknown>> = [];
  const watchdog = setTimeout(() => {
    process.stderr.write('load test: still running long after its traffic; stopping\n');
    process.exit(3);
  }, (options.warmupSeconds + options.durationSeconds) * 1000 + WATCHDOG_EXTRA_MS);
  try {
    // Redis: a database of its own, and the one bucket every anonymous caller of this run shares
    // (127.0.0.1) starts full, whatever an earlier run left in it.
    const redis = new IORedis(redisUrl, { protocol: 2, lazyConnect: true });
    await redis.connect();
    cleanups.push(() => redis.quit());
    await redis.del(bucketKey('127.0.0.1', 'anonymous'));
    const token = randomUUID();
    const bridgesChild = await startChild<BridgesReady>('bridges-child.ts', [redisUrl], { ...inheritedEnvironment(), LOADTEST_BRIDGE_TOKEN: token });
    cleanups.push(() => stopChild(bridgesChild.child));
    const bridges: Bridges = { ...bridgesChild.ready, token };

    const seeding = performance.now();
    const database = await createPostgresDatabase();
    cleanups.push(() => closeDatabases(), () => database.dispose());
    await seedSignals(database.db, options.signals);
    // Planner statistics, as a table in service has them (autovacuum would get there later).
    await database.db.query(sql`ANALYZE signals`);
    const seededMs = performance.now() - seeding;

    const env = runtimeEnvironment(options, database, bridges, adminKey);
    const spec = loadServiceSpec({ path: serverlessYmlPath, stage: 'local', env });
    const setting = (name: string): string => env[name] ?? spec.environment[name] ?? '';
    const limits = { anonymous: Number(setting('RATE_LIMIT_ANONYMOUS')), api_key: Number(setting('RATE_LIMIT_API_KEY')) };
    const keyedSeconds = options.durationSeconds + options.warmupSeconds;
    const plan = planTraffic({ rate: options.rate, durationSeconds: options.durationSeconds, keyedSeconds, limits, minKeys: options.keys });
    describePlan(options, plan, setting('DB_POOL_MAX'), setting('RATE_LIMIT_REDIS_TIMEOUT_MS') || '50 (default)');

    const { child: runtimeChild, ready } = await startChild<RuntimeReady>('runtime-child.ts', [], env);
    const runtime = { child: runtimeChild, url: ready.url };
    cleanups.push(() => stopChild(runtime.child));
    const pool: RequestPool = { keys: await createKeys(runtime.url, adminKey, plan.keys), ids: await signalIds(runtime.url, adminKey) };
    print(`set-up: seeded in ${(seededMs / 1000).toFixed(1)} s, runtime up at ${runtime.url}, ${String(pool.keys.length)} keys, ${String(pool.ids.length)} signal ids`);

    if (options.warmupSeconds > 0) {
      // Half the rate, without the abusive class (its bucket must start full); not measured.
      const rate = Math.max(ROUTE_CLASSES.length, Math.ceil(options.rate / 2));
      const warmup = planTraffic({ rate, durationSeconds: options.durationSeconds, keyedSeconds, limits, minKeys: plan.keys });
      await runLanes(runtime.url, warmup.lanes.filter((lane) => !MIX[lane.routeClass].intended429), pool, options.seed + 7, options.warmupSeconds);
    }
    const before = await runtimeUsage(runtime.child);
    const measuring = performance.now();
    const samples = await runLanes(runtime.url, plan.lanes, pool, options.seed, options.durationSeconds);
    const measuredSeconds = (performance.now() - measuring) / 1000;
    const after = await runtimeUsage(runtime.child);

    const metrics = await fetch(`${runtime.url}/metrics`, { headers: { 'x-api-key': adminKey } }).then((response) => response.text());
    const hits = counterValue(metrics, 'cache_hits_total', { cache_name: 'api_key' });
    const misses = counterValue(metrics, 'cache_misses_total', { cache_name: 'api_key' });
    const fallbacks = counterValue(metrics, 'rate_limit_fallback_total');

    const rows = ROUTE_CLASSES.map((name) => summarise(name, samples[name], options.durationSeconds, MIX[name].intended429));
    const overall = summariseOverall(rows, Object.values(samples), options.durationSeconds);
    const anonymous = rows.find((row) => row.name === 'anonymous');
    const checks = evaluate({
      overall,
      rows,
      cacheHitRate: hits + misses === 0 ? undefined : hits / (hits + misses),
      targetRate: options.rate,
      anonymous: { allowed: anonymous?.ok ?? 0, allowance: plan.anonymousAllowance, refused: anonymous?.intended429 ?? 0 },
      limiterFallbacks: fallbacks,
    });

    print();
    print(formatRows([...rows, overall]));
    print();
    print(`API-key cache (cache_name="api_key"): ${String(hits)} hits, ${String(misses)} misses → hit rate ${hits + misses === 0 ? '–' : `${((100 * hits) / (hits + misses)).toFixed(2)} %`}`);
    print(`rate limiter: ${String(fallbacks)} decisions on the in-memory fallback (Redis slower than RATE_LIMIT_REDIS_TIMEOUT_MS or failing)`);
    print(`anonymous bucket: ${String(anonymous?.ok ?? 0)} allowed of ~${String(Math.round(plan.anonymousAllowance))} it holds over ${String(options.durationSeconds)} s`);
    if (overall.errorStatuses !== '') print(`unintended: ${overall.errorStatuses}`);
    const runtimeCpuMs = after.cpuMs - before.cpuMs;
    print(
      `runtime process: ${(runtimeCpuMs / Math.max(1, overall.requests)).toFixed(2)} ms CPU per request, ` +
        `${((100 * runtimeCpuMs) / (measuredSeconds * 1000)).toFixed(0)} % of one core, RSS ${(after.rssBytes / 2 ** 20).toFixed(0)} MiB, ` +
        `event-loop delay p99 ${after.loopDelayP99Ms.toFixed(1)} ms (max ${after.loopDelayMaxMs.toFixed(0)} ms)`,
    );
    const quantiles = (name: string): string =>
      [0.5, 0.95, 0.99].map((q) => `p${String(Math.round(q * 100))} ${(1000 * histogramQuantile(metrics, name, q)).toFixed(1)} ms`).join(', ');
    print(`server side, whole run (bucket-interpolated): in-handler ${quantiles('http_request_duration_seconds')}; database queries ${quantiles('db_query_duration_seconds')}`);
    print(`load average at the end: ${loadavg().map((value) => value.toFixed(2)).join(' ')} on ${String(availableParallelism())} cores`);
    print(`measured ${measuredSeconds.toFixed(1)} s; latencies are client-side, per response (any status), nearest-rank percentiles`);
    print();
    print(formatChecks(checks));
    print();
    const fail = failed(checks);
    print(`${fail ? 'FAIL' : 'OK'} in ${((performance.now() - started) / 1000).toFixed(0)} s${fail ? ': a seed criterion was missed' : ''}`);
    return fail ? 1 : 0;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => process.stderr.write(`clean-up failed: ${String(error)}\n`));
    }
    clearTimeout(watchdog);
  }
}

// Some clients (the Neon pool, undici) keep the loop alive a little after clean-up: exit with the verdict.
process.exit(await main());
