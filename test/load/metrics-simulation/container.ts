// One simulated Lambda container for the metrics simulation: a registry with the production metric
// families (cloned from lib/metrics' definitions: same names, labels and buckets), traffic that
// moves them as an API function's requests would, and the production flusher (createFlusher, the
// production time budget and interval) pushing it through the chosen strategy. Every request it
// makes is counted, so the run can compare what the target reports with what really happened.
import { randomUUID } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, type CounterType, type HistogramType, type RegistryType } from '../../../lib/metrics/prom.js';
import { createFlusher, type Flusher, type PushStrategy } from '../../../lib/metrics/pushgateway.js';
import { registry as productionRegistry } from '../../../lib/metrics/registry.js';
// The definitions register themselves in the production registry on import.
import '../../../lib/metrics/cache-metrics.js';
import '../../../lib/metrics/db-metrics.js';
import '../../../lib/metrics/error-metrics.js';
import '../../../lib/metrics/http-metrics.js';
import '../../../lib/metrics/rate-limit-metrics.js';

/** What a metric object of prom-client exposes of its definition (not in its public types). */
interface Definition {
  name: string;
  help: string;
  labelNames?: readonly string[];
  upperBounds?: readonly number[];
}

/** A new registry holding a copy of every counter, gauge and histogram family of the production registry, empty. */
export function productionShapedRegistry(): RegistryType {
  const registry = new Registry();
  for (const metric of productionRegistry.getMetricsAsArray()) {
    const { name, help, labelNames = [], upperBounds } = metric as unknown as Definition;
    const base = { name, help, labelNames: [...labelNames], registers: [registry] };
    if (metric instanceof Histogram) new Histogram({ ...base, buckets: [...(upperBounds ?? [])] });
    else if (metric instanceof Counter) new Counter(base);
    else if (metric instanceof Gauge) new Gauge(base);
  }
  return registry;
}

/** An API function's routes and how its answers are spread: ~200 series once every label set has been seen. */
const ROUTES = [
  { method: 'GET', endpoint: '/v1/signals', weight: 0.55 },
  { method: 'GET', endpoint: '/v1/signals/{id}', weight: 0.25 },
  { method: 'GET', endpoint: '/v1/topics', weight: 0.15 },
  { method: 'POST', endpoint: '/v1/admin/jobs/{name}', weight: 0.05 },
] as const;
const STATUSES = [
  { status: '200', weight: 0.95 },
  { status: '429', weight: 0.04 },
  { status: '500', weight: 0.01 },
] as const;

function pick<T extends { weight: number }>(choices: readonly T[], random: number): T {
  let left = random;
  for (const choice of choices) {
    left -= choice.weight;
    if (left < 0) return choice;
  }
  return choices[choices.length - 1] as T;
}

export interface SimulatedContainerOptions {
  functionName: string;
  strategy: PushStrategy;
  /** The push target's URL (the flusher's on/off switch). */
  url: string;
  intervalMs: number;
  timeoutMs: number;
}

export class SimulatedContainer {
  readonly instance = randomUUID();
  /** Requests this container served (the truth the target's figure is compared with). */
  requests = 0;
  readonly #registry = productionShapedRegistry();
  readonly #flusher: Flusher;
  readonly #functionName: string;
  readonly #http: CounterType;
  readonly #duration: HistogramType;
  readonly #db: CounterType;
  readonly #dbDuration: HistogramType;
  readonly #rateLimit: CounterType;
  readonly #cacheHits: CounterType;

  constructor(options: SimulatedContainerOptions) {
    this.#functionName = options.functionName;
    this.#flusher = createFlusher({
      url: options.url,
      intervalMs: options.intervalMs,
      timeoutMs: options.timeoutMs,
      strategy: options.strategy,
      registry: this.#registry,
      instance: this.instance,
    });
    const metric = <T>(name: string): T => this.#registry.getSingleMetric(name) as T;
    this.#http = metric('http_requests_total');
    this.#duration = metric('http_request_duration_seconds');
    this.#db = metric('db_queries_total');
    this.#dbDuration = metric('db_query_duration_seconds');
    this.#rateLimit = metric('rate_limit_requests_total');
    this.#cacheHits = metric('cache_hits_total');
  }

  /** Serves one request: moves what the middleware, the limiter, the key cache and the database would. */
  serve(): void {
    const route = pick(ROUTES, Math.random());
    const { status } = pick(STATUSES, Math.random());
    const labels = { method: route.method, endpoint: route.endpoint, status };
    this.#http.inc(labels);
    this.#duration.observe(labels, 0.005 + Math.random() * Math.random() * 0.5);
    this.#rateLimit.inc({ tier: 'api_key', result: status === '429' ? 'denied' : 'allowed' });
    this.#cacheHits.inc({ cache_type: 'memory', cache_name: 'api_key' });
    if (status === '200') {
      this.#db.inc({ operation: 'select', table: 'signals', status: 'ok' });
      this.#dbDuration.observe({ operation: 'select', table: 'signals' }, 0.001 + Math.random() * 0.02);
    }
    this.requests += 1;
  }

  /** What a request's end does: push when the interval says so (or always, `force`). */
  flush(force = false): ReturnType<Flusher['maybeFlush']> {
    return this.#flusher.maybeFlush({ functionName: this.#functionName, force });
  }
}
