// The load test's arithmetic and output: samples per route class → one row each and an overall
// row (latency percentiles, throughput, errors), the pass/fail checks, and the printed table.
// Pure functions, so test/load/summary.test.ts can check them without generating any load.

/** What one route class collected during the measured run. */
export interface ClassSamples {
  /** Response time of every response, any status, in milliseconds. */
  latenciesMs: number[];
  /** Responses by HTTP status. */
  statuses: Map<number, number>;
  /** Requests that got no response: socket errors and timeouts together (autocannon's `errors`). */
  socketErrors: number;
  /** Of those, timeouts. */
  timeouts: number;
}

export function emptySamples(): ClassSamples {
  return { latenciesMs: [], statuses: new Map(), socketErrors: 0, timeouts: 0 };
}

export function mergeSamples(all: readonly ClassSamples[]): ClassSamples {
  const merged = emptySamples();
  for (const samples of all) {
    merged.latenciesMs.push(...samples.latenciesMs);
    for (const [status, count] of samples.statuses) merged.statuses.set(status, (merged.statuses.get(status) ?? 0) + count);
    merged.socketErrors += samples.socketErrors;
    merged.timeouts += samples.timeouts;
  }
  return merged;
}

export interface Row {
  name: string;
  /** Requests sent: responses plus those that got none. */
  requests: number;
  /** Responses per second over the measured run. */
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  ok: number;
  /** 429s of a class whose point is to be refused. */
  intended429: number;
  /** Every non-2xx except intended 429s, plus socket errors and timeouts. */
  errors: number;
  /** errors / requests. */
  errorRate: number;
  /** The unintended statuses, for the report (`503×2`). */
  errorStatuses: string;
}

/** Nearest-rank percentile of ascending `sorted` (`p` from 0 to 100); NaN when empty. */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/**
 * One row. `countsIntended429`: the class's 429s are its purpose (every anonymous caller over
 * loopback shares one bucket); anywhere else a 429 is an error like any other non-2xx.
 */
export function summarise(name: string, samples: ClassSamples, durationSeconds: number, countsIntended429: boolean): Row {
  const sorted = [...samples.latenciesMs].sort((a, b) => a - b);
  let ok = 0;
  let intended429 = 0;
  let unintended = 0;
  const errorStatuses: string[] = [];
  for (const [status, count] of [...samples.statuses].sort(([a], [b]) => a - b)) {
    if (status >= 200 && status < 300) ok += count;
    else if (status === 429 && countsIntended429) intended429 += count;
    else {
      unintended += count;
      errorStatuses.push(`${String(status)}×${String(count)}`);
    }
  }
  if (samples.socketErrors > 0) errorStatuses.push(`socket×${String(samples.socketErrors - samples.timeouts)}`, `timeout×${String(samples.timeouts)}`);
  const responses = ok + intended429 + unintended;
  const requests = responses + samples.socketErrors;
  const errors = unintended + samples.socketErrors;
  return {
    name,
    requests,
    throughput: responses / durationSeconds,
    p50: percentileOfSorted(sorted, 50),
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    ok,
    intended429,
    errors,
    errorRate: requests === 0 ? 0 : errors / requests,
    errorStatuses: errorStatuses.join(' '),
  };
}

/** The overall row: every class's samples together, with each class's own 429 rule. */
export function summariseOverall(rows: readonly Row[], all: readonly ClassSamples[], durationSeconds: number): Row {
  const merged = summarise('overall', mergeSamples(all), durationSeconds, true);
  const intended429 = rows.reduce((sum, row) => sum + row.intended429, 0);
  const errors = rows.reduce((sum, row) => sum + row.errors, 0);
  return {
    ...merged,
    intended429,
    errors,
    errorRate: merged.requests === 0 ? 0 : errors / merged.requests,
    errorStatuses: rows.filter((row) => row.errorStatuses !== '').map((row) => `${row.name}: ${row.errorStatuses}`).join('; '),
  };
}

/** `seed` criteria fail the run (exit 1); `scenario` ones too (the run did not test what it claims); `ours` only warn. */
export type CheckKind = 'seed' | 'scenario' | 'ours';

export interface Check {
  kind: CheckKind;
  name: string;
  target: string;
  value: string;
  passed: boolean;
}

export interface CheckInput {
  overall: Row;
  rows: readonly Row[];
  /** cache_hits_total / (hits + misses) for cache="api_key"; undefined when nothing was looked up. */
  cacheHitRate: number | undefined;
  /** The requested rate, requests per second. */
  targetRate: number;
  /** The abusive class: what got through, what one bucket allows over the run, what was refused. */
  anonymous: { allowed: number; allowance: number; refused: number };
  /** Decisions the limiter took from its in-memory fallback (rate_limit_fallback_total). */
  limiterFallbacks: number;
}

const ms = (value: number): string => (Number.isNaN(value) ? '–' : `${value.toFixed(value < 10 ? 2 : 1)} ms`);
const pct = (value: number): string => `${(value * 100).toFixed(2)} %`;

export function evaluate(input: CheckInput): Check[] {
  const { overall } = input;
  const worstP95 = Math.max(...input.rows.map((row) => (Number.isNaN(row.p95) ? 0 : row.p95)), Number.isNaN(overall.p95) ? 0 : overall.p95);
  // One bucket's allowance, with 10 % slack for the refill during the requests in flight at the end.
  // Decisions on the memory fallback draw from the container's own bucket, full at its first use
  // (limits are per container then, by design): with fallbacks, two buckets' worth may pass.
  const buckets = input.limiterFallbacks > 0 ? 2 : 1;
  const allowedAtMost = Math.ceil(input.anonymous.allowance * buckets * 1.1);
  return [
    { kind: 'seed', name: 'p95 latency, every class', target: '< 3 s', value: ms(worstP95), passed: worstP95 < 3000 },
    { kind: 'seed', name: 'error rate', target: '< 1 %', value: pct(overall.errorRate), passed: overall.errorRate < 0.01 },
    {
      kind: 'seed',
      name: 'API-key cache hit rate',
      target: '> 60 %',
      value: input.cacheHitRate === undefined ? 'no look-ups' : pct(input.cacheHitRate),
      passed: input.cacheHitRate !== undefined && input.cacheHitRate > 0.6,
    },
    {
      kind: 'scenario',
      name: 'anonymous abuse refused by the shared bucket',
      target: `429s > 0, allowed ≤ ${String(allowedAtMost)}${buckets > 1 ? ' (Redis + memory bucket)' : ''}`,
      value: `${String(input.anonymous.refused)} refused, ${String(input.anonymous.allowed)} allowed`,
      passed: input.anonymous.refused > 0 && input.anonymous.allowed <= allowedAtMost,
    },
    { kind: 'ours', name: 'p99 latency, overall', target: '< 50 ms', value: ms(overall.p99), passed: overall.p99 < 50 },
    { kind: 'ours', name: 'unintended errors', target: '0', value: String(overall.errors), passed: overall.errors === 0 },
    {
      kind: 'ours',
      name: 'limiter decided on Redis',
      target: '0 fallbacks',
      value: String(input.limiterFallbacks),
      passed: input.limiterFallbacks === 0,
    },
    {
      kind: 'ours',
      name: 'throughput reached',
      target: `≥ 95 % of ${String(input.targetRate)} req/s`,
      value: `${overall.throughput.toFixed(1)} req/s`,
      passed: overall.throughput >= 0.95 * input.targetRate,
    },
  ];
}

/** Whether the run fails: a seed or scenario check missed. */
export function failed(checks: readonly Check[]): boolean {
  return checks.some((check) => check.kind !== 'ours' && !check.passed);
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, rightAligned: ReadonlySet<number>): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (rightAligned.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function formatRows(rows: readonly Row[]): string {
  const header = ['class', 'requests', 'req/s', 'p50', 'p95', 'p99', 'max', '2xx', '429 (intended)', 'errors', 'error rate'];
  const cells = rows.map((row) => [
    row.name,
    String(row.requests),
    row.throughput.toFixed(1),
    ms(row.p50),
    ms(row.p95),
    ms(row.p99),
    ms(row.max),
    String(row.ok),
    String(row.intended429),
    String(row.errors),
    pct(row.errorRate),
  ]);
  return table(header, cells, new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
}

export function formatChecks(checks: readonly Check[]): string {
  const verdict = (check: Check): string => (check.passed ? 'PASS' : check.kind === 'ours' ? 'WARN' : 'FAIL');
  const label = { seed: 'seed criterion', scenario: 'scenario', ours: 'our target' } as const;
  return table(
    ['check', 'kind', 'target', 'value', 'verdict'],
    checks.map((check) => [check.name, label[check.kind], check.target, check.value, verdict(check)]),
    new Set(),
  );
}

/**
 * The value of a counter in Prometheus text format, summed over the series whose labels include
 * `labels` (0 when there is none).
 */
export function counterValue(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (match === null || match[1] !== name) continue;
    const found = new Map([...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((label) => [label[1], label[2]]));
    if (Object.entries(labels).every(([key, value]) => found.get(key) === value)) total += Number(match[3]);
  }
  return total;
}

/**
 * A quantile (0–1) of a Prometheus histogram in text format, all its series summed, interpolated
 * within the bucket as `histogram_quantile` does; NaN when it has no observations.
 */
export function histogramQuantile(text: string, name: string, q: number): number {
  const byBound = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}_bucket{`)) continue;
    const match = /\{(.*)\}\s+(\S+)/.exec(line);
    const le = match === null ? undefined : /(?:^|,)le="([^"]+)"/.exec(match[1] ?? '')?.[1];
    if (match === null || le === undefined) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    byBound.set(bound, (byBound.get(bound) ?? 0) + Number(match[2]));
  }
  const buckets = [...byBound].sort(([a], [b]) => a - b);
  const total = buckets.at(-1)?.[1] ?? 0;
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [bound, count] of buckets) {
    if (count >= rank) {
      // Past the largest finite bound, Prometheus answers that bound.
      if (bound === Number.POSITIVE_INFINITY) return lowerBound;
      return lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / Math.max(1, count - lowerCount);
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}
