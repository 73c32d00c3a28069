// Pushes this container's registry to the Prometheus Pushgateway (ARCHITECTURE §5): a Lambda cannot
// be scraped. Each container PUTs its whole registry under its own grouping key
// {job="signal-harvester", function=<name>, instance=<container id>}, so containers never overwrite
// each other and every counter stays monotonic per series. How a push is sent is a `PushStrategy`,
// so an aggregating gateway (deltas instead of totals) can replace the PUT without touching callers;
// METRICS_PUSH_TARGET=victoria-metrics selects the second one, VictoriaMetrics' import API
// (lib/metrics/victoria-metrics.ts), under the same grouping labels.
// A push has a time budget, is awaited (a frozen Lambda does no background work) and never throws:
// a failure is counted by reason, logged at most once a minute, and the request goes on.
import { randomUUID } from 'node:crypto';
import { getConfig } from '../config.js';
import { PushgatewayError } from '../errors.js';
import { log } from '../log/index.js';
import { Counter, type RegistryType } from './prom.js';
import { groupingPath, pushgatewayTarget, type Grouping, type PushStrategy } from './push-common.js';
import { importStrategy } from './victoria-metrics.js';

export { groupingPath, pushgatewayTarget, type Grouping, type PushgatewayTarget, type PushStrategy } from './push-common.js';
import { registry as containerRegistry } from './registry.js';

/** The `job` grouping label of everything this service pushes (the janitor cleans only this job). */
export const PUSH_JOB = 'signal-harvester';

/**
 * This container's id, the `instance` grouping label: random per module load, i.e. per Lambda
 * container. Not the host name: Lambda's are not unique, and a reused one would let a new container
 * reset an old one's counters.
 */
export const containerId: string = randomUUID();

/** Time left to Lambda after a push for returning the response; a push never runs into it. */
export const SAFETY_MARGIN_MS = 100;
/** Below this budget a push is not attempted at all (it could not finish). */
const MIN_BUDGET_MS = 5;
/** At most one warning line per this interval per flusher, however many pushes fail. */
const WARN_INTERVAL_MS = 60_000;

export const pushesTotal = new Counter({
  name: 'metrics_pushes_total',
  help: 'Successful pushes of this registry to its push target (Pushgateway or VictoriaMetrics).',
  registers: [containerRegistry],
});

export const PUSH_FAILURE_REASONS = ['timeout', 'unreachable', 'rejected', 'no_time'] as const;
export type PushFailureReason = (typeof PUSH_FAILURE_REASONS)[number];

export const pushFailuresTotal = new Counter({
  name: 'metrics_push_failures_total',
  help: 'Failed or skipped pushes, by reason (timeout, unreachable, rejected, no_time).',
  labelNames: ['reason'] as const,
  registers: [containerRegistry],
});

export interface PutStrategyOptions {
  /** Pushgateway base URL, credentials allowed. */
  url: string;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

/** The Pushgateway's own semantics: PUT replaces the whole group with this registry's totals. */
export function putStrategy(options: PutStrategyOptions): PushStrategy {
  const target = pushgatewayTarget(options.url);
  const send = options.fetch ?? fetch;
  return {
    async push(registry, grouping, signal) {
      const body = await registry.metrics();
      const response = await send(`${target.base}/metrics${groupingPath(grouping)}`, {
        method: 'PUT',
        headers: { ...target.headers, 'content-type': registry.contentType },
        body,
        signal,
      });
      // Read to the end either way, so the keep-alive connection is free for the next push.
      const answer = await response.text();
      if (!response.ok) {
        throw new PushgatewayError(`Pushgateway refused the push (${String(response.status)}): ${answer.slice(0, 200)}`, response.status);
      }
    },
  };
}

export interface FlusherOptions {
  /** Pushgateway base URL; undefined turns every flush into a no-op (`disabled`). */
  url: string | undefined;
  /** Push when the last attempt is older than this, ms; 0 = on every flush. */
  intervalMs: number;
  /** Budget of one push, ms; further capped by the remaining time minus SAFETY_MARGIN_MS. */
  timeoutMs: number;
  /** How a push is sent. Default: `putStrategy({ url })`. */
  strategy?: PushStrategy;
  /** What is pushed. Default: this container's registry. */
  registry?: RegistryType;
  /** The `instance` grouping label. Default: `containerId`. */
  instance?: string;
  /** Clock in milliseconds, for the interval. Default `Date.now`. */
  now?: () => number;
}

export interface FlushRequest {
  /** The function's serverless.yml name: the `function` grouping label. */
  functionName: string;
  /** The Lambda's remaining time, ms; the push ends SAFETY_MARGIN_MS before it. Default: unbounded. */
  remainingMs?: number;
  /** Push whatever the interval says (jobs, at the end of every run). */
  force?: boolean;
}

export type FlushReason = 'pushed' | 'disabled' | 'not_due' | 'in_flight' | PushFailureReason;

export interface FlushResult {
  pushed: boolean;
  reason: FlushReason;
}

export interface Flusher {
  /** Pushes when due (or forced) within its time budget. Never throws. */
  maybeFlush(request: FlushRequest): Promise<FlushResult>;
}

/** Thrown into the race when the budget runs out, so a strategy that ignores its signal cannot hold us. */
class BudgetExceeded extends Error {
  constructor() {
    super('push time budget exceeded');
    this.name = 'BudgetExceeded';
  }
}

function failureReason(error: unknown, signal: AbortSignal): PushFailureReason {
  if (error instanceof BudgetExceeded || signal.aborted) return 'timeout';
  return error instanceof PushgatewayError ? 'rejected' : 'unreachable';
}

/** Runs `push`, settling by `budgetMs` at the latest; `controller` is aborted when the budget runs out. */
async function withinBudget(budgetMs: number, controller: AbortController, push: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(new BudgetExceeded());
      reject(new BudgetExceeded());
    }, budgetMs);
  });
  try {
    await Promise.race([push(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const DISABLED: FlushResult = { pushed: false, reason: 'disabled' };

export function createFlusher(options: FlusherOptions): Flusher {
  const { url, intervalMs, timeoutMs } = options;
  if (url === undefined) return { maybeFlush: () => Promise.resolve(DISABLED) };
  const strategy = options.strategy ?? putStrategy({ url });
  const registry = options.registry ?? containerRegistry;
  const instance = options.instance ?? containerId;
  const now = options.now ?? Date.now;
  /** Per function: one process serves several functions locally (Lambda: exactly one). */
  const lastAttemptAt = new Map<string, number>();
  const inFlight = new Map<string, Promise<FlushResult>>();
  let lastWarnAt = Number.NEGATIVE_INFINITY;

  async function push(functionName: string, remainingMs: number): Promise<FlushResult> {
    // Marked before the attempt: a Pushgateway that is down costs one request per interval, not all.
    lastAttemptAt.set(functionName, now());
    const budgetMs = Math.min(timeoutMs, remainingMs - SAFETY_MARGIN_MS);
    let reason: PushFailureReason = 'no_time';
    let cause: unknown;
    if (budgetMs >= MIN_BUDGET_MS) {
      const grouping: Grouping = { job: PUSH_JOB, function: functionName, instance };
      const controller = new AbortController();
      try {
        await withinBudget(budgetMs, controller, () => strategy.push(registry, grouping, controller.signal));
        pushesTotal.inc();
        return { pushed: true, reason: 'pushed' };
      } catch (error) {
        cause = error;
        reason = failureReason(error, controller.signal);
      }
    }
    pushFailuresTotal.inc({ reason });
    if (now() - lastWarnAt >= WARN_INTERVAL_MS) {
      lastWarnAt = now();
      log.warn('metrics push failed', {
        function_name: functionName,
        reason,
        budget_ms: Math.max(0, budgetMs),
        ...(cause instanceof Error ? { error: cause } : {}),
      });
    }
    return { pushed: false, reason };
  }

  return {
    async maybeFlush(request) {
      const { functionName, force = false } = request;
      const running = inFlight.get(functionName);
      if (running !== undefined) {
        if (!force) return { pushed: false, reason: 'in_flight' };
        await running;
      }
      const last = lastAttemptAt.get(functionName);
      if (!force && last !== undefined && now() - last < intervalMs) return { pushed: false, reason: 'not_due' };
      const attempt = push(functionName, request.remainingMs ?? Number.POSITIVE_INFINITY).catch((): FlushResult => ({ pushed: false, reason: 'unreachable' }));
      inFlight.set(functionName, attempt);
      try {
        return await attempt;
      } finally {
        if (inFlight.get(functionName) === attempt) inFlight.delete(functionName);
      }
    },
  };
}

let containerFlusher: Flusher | undefined;

/**
 * Flushes this container's registry per configuration (METRICS_PUSH_TARGET with PUSHGATEWAY_URL or
 * VICTORIA_METRICS_URL, METRICS_PUSH_INTERVAL_MS, METRICS_PUSH_TIMEOUT_MS). Never throws; without
 * the chosen target's URL it does nothing.
 */
export async function maybeFlush(request: FlushRequest): Promise<FlushResult> {
  try {
    if (containerFlusher === undefined) {
      const config = getConfig();
      const victoria = config.METRICS_PUSH_TARGET === 'victoria-metrics';
      const url = victoria ? config.VICTORIA_METRICS_URL : config.PUSHGATEWAY_URL;
      containerFlusher = createFlusher({
        url,
        strategy: victoria && url !== undefined ? importStrategy({ url }) : undefined,
        intervalMs: config.METRICS_PUSH_INTERVAL_MS,
        timeoutMs: config.METRICS_PUSH_TIMEOUT_MS,
      });
    }
    return await containerFlusher.maybeFlush(request);
  } catch {
    // Only an invalid configuration gets here, and createApp has already reported it.
    return DISABLED;
  }
}

/** Forgets the container's flusher, so the next flush re-reads configuration (tests). */
export function resetMetricsFlusher(): void {
  containerFlusher = undefined;
}
