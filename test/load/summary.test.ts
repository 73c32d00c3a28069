// The load test's own arithmetic, without generating load: what counts as an error, the
// percentiles, the verdicts, and the metric read off GET /metrics.
import { describe, expect, it } from 'vitest';
import { counterValue, emptySamples, evaluate, failed, histogramQuantile, summarise, summariseOverall, type CheckInput, type ClassSamples } from './summary.js';

function samples(latenciesMs: number[], statuses: Record<number, number>, socketErrors = 0, timeouts = 0): ClassSamples {
  return { latenciesMs, statuses: new Map(Object.entries(statuses).map(([status, count]) => [Number(status), count])), socketErrors, timeouts };
}

function passingInput(overrides: Partial<CheckInput> = {}): CheckInput {
  const row = summarise('list', samples([5, 6, 7], { 200: 3 }), 1, false);
  return {
    overall: { ...row, name: 'overall', throughput: 200 },
    rows: [row],
    cacheHitRate: 0.99,
    targetRate: 200,
    anonymous: { allowed: 100, allowance: 140, refused: 50 },
    limiterFallbacks: 0,
    ...overrides,
  };
}

describe('summarise', () => {
  it('counts 429s as intended only in the class meant to be refused', () => {
    // Prepare
    const collected = samples([1, 2, 3, 4], { 200: 2, 429: 2 });

    // Act
    const abusive = summarise('anonymous', collected, 2, true);
    const keyed = summarise('list', collected, 2, false);

    // Assess
    expect(abusive).toMatchObject({ requests: 4, ok: 2, intended429: 2, errors: 0, errorRate: 0, throughput: 2 });
    expect(keyed).toMatchObject({ requests: 4, ok: 2, intended429: 0, errors: 2, errorRate: 0.5, errorStatuses: '429×2' });
  });

  it('counts requests without a response (socket errors, timeouts) as sent and failed', () => {
    const row = summarise('get', samples([1, 1, 1], { 200: 2, 503: 1 }, 2, 1), 1, false);

    expect(row).toMatchObject({ requests: 5, ok: 2, errors: 3, errorRate: 0.6 });
    expect(row.errorStatuses).toBe('503×1 socket×1 timeout×1');
  });

  it('takes nearest-rank percentiles over every response', () => {
    const row = summarise('health', samples(Array.from({ length: 100 }, (_, i) => 100 - i), { 200: 100 }), 1, false);

    expect([row.p50, row.p95, row.p99, row.max]).toEqual([50, 95, 99, 100]);
  });

  it('keeps each class’s 429 rule in the overall row', () => {
    // Prepare
    const anonymous = samples([1, 1], { 429: 2 });
    const list = samples([1, 1], { 200: 1, 429: 1 });
    const rows = [summarise('anonymous', anonymous, 1, true), summarise('list', list, 1, false)];

    // Act
    const overall = summariseOverall(rows, [anonymous, list], 1);

    // Assess
    expect(overall).toMatchObject({ requests: 4, ok: 1, intended429: 2, errors: 1, errorRate: 0.25, errorStatuses: 'list: 429×1' });
  });

  it('reports an empty class without dividing by zero', () => {
    const row = summarise('search', emptySamples(), 1, false);

    expect(row).toMatchObject({ requests: 0, errors: 0, errorRate: 0 });
    expect(row.p99).toBeNaN();
  });
});

describe('evaluate', () => {
  it('passes a run that meets every criterion and target', () => {
    const checks = evaluate(passingInput());

    expect(checks.every((check) => check.passed)).toBe(true);
    expect(failed(checks)).toBe(false);
  });

  it('fails the run when a seed criterion is missed: error rate, p95 or the cache hit rate', () => {
    const base = passingInput();

    expect(failed(evaluate({ ...base, overall: { ...base.overall, errorRate: 0.01 } }))).toBe(true);
    expect(failed(evaluate({ ...base, rows: [{ ...base.rows[0]!, p95: 3000 }] }))).toBe(true);
    expect(failed(evaluate({ ...base, cacheHitRate: 0.6 }))).toBe(true);
    expect(failed(evaluate({ ...base, cacheHitRate: undefined }))).toBe(true);
  });

  it('fails the run when the abusive client is never refused or gets through more than its bucket holds', () => {
    const base = passingInput();

    expect(failed(evaluate({ ...base, anonymous: { allowed: 100, allowance: 140, refused: 0 } }))).toBe(true);
    expect(failed(evaluate({ ...base, anonymous: { allowed: 200, allowance: 140, refused: 10 } }))).toBe(true);
    // … unless the limiter fell back to memory: the container's own bucket then lets a second share through
    expect(failed(evaluate({ ...base, anonymous: { allowed: 200, allowance: 140, refused: 10 }, limiterFallbacks: 3 }))).toBe(false);
  });

  it('only warns when our own targets are missed', () => {
    const base = passingInput();
    const checks = evaluate({ ...base, overall: { ...base.overall, p99: 80, errors: 3, throughput: 150 }, limiterFallbacks: 5 });

    expect(checks.filter((check) => !check.passed).map((check) => check.kind)).toEqual(['ours', 'ours', 'ours', 'ours']);
    expect(failed(checks)).toBe(false);
  });
});

describe('counterValue', () => {
  const text = [
    '# HELP cache_hits_total Look-ups answered from a cache',
    '# TYPE cache_hits_total counter',
    'cache_hits_total{cache="api_key"} 42',
    'cache_hits_total{cache="topic_vector"} 7',
    'cache_hits_total_extra{cache="api_key"} 1000',
    'rate_limit_fallback_total{tier="anonymous",reason="redis_timeout"} 2',
    'rate_limit_fallback_total{tier="api_key",reason="redis_error"} 3',
  ].join('\n');

  it('reads one series by its labels, and sums the series that match', () => {
    expect(counterValue(text, 'cache_hits_total', { cache: 'api_key' })).toBe(42);
    expect(counterValue(text, 'cache_hits_total')).toBe(49);
    expect(counterValue(text, 'rate_limit_fallback_total')).toBe(5);
  });

  it('is 0 for a metric or series not exported yet', () => {
    expect(counterValue(text, 'cache_misses_total', { cache: 'api_key' })).toBe(0);
    expect(counterValue(text, 'cache_hits_total', { cache: 'nope' })).toBe(0);
  });
});

describe('histogramQuantile', () => {
  // Two series: 10 requests in (0, 5 ms], 10 in (5, 10 ms], none slower.
  const text = [
    'http_request_duration_seconds_bucket{le="0.005",method="GET",endpoint="/a",status="200"} 6',
    'http_request_duration_seconds_bucket{le="0.01",method="GET",endpoint="/a",status="200"} 12',
    'http_request_duration_seconds_bucket{le="+Inf",method="GET",endpoint="/a",status="200"} 12',
    'http_request_duration_seconds_bucket{le="0.005",method="GET",endpoint="/b",status="200"} 4',
    'http_request_duration_seconds_bucket{le="0.01",method="GET",endpoint="/b",status="200"} 8',
    'http_request_duration_seconds_bucket{le="+Inf",method="GET",endpoint="/b",status="200"} 8',
    'http_request_duration_seconds_count{method="GET",endpoint="/a",status="200"} 12',
  ].join('\n');

  it('sums the series and interpolates within the bucket, as histogram_quantile does', () => {
    expect(histogramQuantile(text, 'http_request_duration_seconds', 0.5)).toBeCloseTo(0.005);
    expect(histogramQuantile(text, 'http_request_duration_seconds', 0.75)).toBeCloseTo(0.0075);
    expect(histogramQuantile(text, 'http_request_duration_seconds', 0.25)).toBeCloseTo(0.0025);
  });

  it('is NaN without observations', () => {
    expect(histogramQuantile('', 'http_request_duration_seconds', 0.5)).toBeNaN();
  });
});
