import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PushgatewayError } from '../../../../lib/errors.js';
import { resetLog } from '../../../../lib/log/index.js';
import { Counter, Registry } from '../../../../lib/metrics/prom.js';
import {
  createFlusher,
  groupingPath,
  pushFailuresTotal,
  pushesTotal,
  pushgatewayTarget,
  putStrategy,
  type FlusherOptions,
  type Grouping,
  type PushStrategy,
} from '../../../../lib/metrics/pushgateway.js';
import { registry } from '../../../../lib/metrics/registry.js';
import { captureLogLines } from '../../../support/capture-log.js';
import { valueOf } from '../../../support/metric-values.js';
import { manualClock } from '../../../support/manual-clock.js';

const URL_ = 'http://pushgateway.test:9091';

/** A strategy that records what it was asked to push, and behaves as `behaviour` says. */
function recordingStrategy(behaviour: (signal: AbortSignal) => Promise<void> = () => Promise.resolve()): PushStrategy & { groupings: Grouping[] } {
  const groupings: Grouping[] = [];
  return {
    groupings,
    push(_registry, grouping, signal) {
      groupings.push(grouping);
      return behaviour(signal);
    },
  };
}

function flusher(strategy: PushStrategy, options: Partial<FlusherOptions> = {}): ReturnType<typeof createFlusher> {
  return createFlusher({ url: URL_, intervalMs: 10_000, timeoutMs: 300, strategy, instance: 'container-a', ...options });
}

describe('groupingPath', () => {
  it('puts job first and the other labels after it, URL-encoded', () => {
    // Act
    const path = groupingPath({ job: 'signal-harvester', function: 'signals', instance: 'a b' });

    // Assess
    expect(path).toBe('/job/signal-harvester/function/signals/instance/a%20b');
  });

  it('uses the URL-safe @base64 form for a value with a slash, and for an empty value', () => {
    // Act
    const path = groupingPath({ job: 'signal-harvester', function: 'api/v1?', instance: '' });

    // Assess
    expect(path).toBe(`/job/signal-harvester/function@base64/${Buffer.from('api/v1?').toString('base64url')}/instance@base64/=`);
    expect(path).not.toContain('+');
  });
});

describe('pushgatewayTarget', () => {
  it('moves credentials out of the URL into a Basic Authorization header', () => {
    // Act
    const target = pushgatewayTarget('https://push%40er:p%3Ass@gw.example.com/prefix/');

    // Assess
    expect(target.base).toBe('https://gw.example.com/prefix');
    expect(target.headers).toEqual({ authorization: `Basic ${Buffer.from('push@er:p:ss').toString('base64')}` });
  });

  it('adds no header when the URL has no credentials', () => {
    // Act
    const target = pushgatewayTarget('http://127.0.0.1:9091');

    // Assess
    expect(target).toEqual({ base: 'http://127.0.0.1:9091', headers: {} });
  });
});

describe('putStrategy', () => {
  it('PUTs the registry text with its content type under the grouping path', async () => {
    // Prepare
    const own = new Registry();
    new Counter({ name: 'unit_pushed_total', help: 'x', registers: [own] }).inc(3);
    const calls: Array<{ url: string; init: RequestInit }> = [];
    const fakeFetch: typeof fetch = (input, init) => {
      calls.push({ url: input instanceof Request ? input.url : input.toString(), init: init ?? {} });
      return Promise.resolve(new Response('', { status: 200 }));
    };

    // Act
    await putStrategy({ url: 'http://u:p@gw:9091', fetch: fakeFetch }).push(own, { job: 'j', function: 'f', instance: 'i' }, new AbortController().signal);

    // Assess
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('http://gw:9091/metrics/job/j/function/f/instance/i');
    expect(calls[0]?.init.method).toBe('PUT');
    expect(calls[0]?.init.headers).toEqual({ authorization: `Basic ${Buffer.from('u:p').toString('base64')}`, 'content-type': own.contentType });
    expect(calls[0]?.init.body).toContain('unit_pushed_total 3');
  });

  it('rejects with a PushgatewayError carrying the status when the gateway refuses', async () => {
    // Prepare
    const fakeFetch: typeof fetch = () => Promise.resolve(new Response('inconsistent help', { status: 400 }));

    // Act
    const push = putStrategy({ url: URL_, fetch: fakeFetch }).push(new Registry(), { job: 'j' }, new AbortController().signal);

    // Assess
    await expect(push).rejects.toMatchObject({ name: 'PushgatewayError', upstreamStatus: 400 });
  });
});

describe('createFlusher', () => {
  beforeEach(() => {
    resetLog();
    registry.resetMetrics();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('does nothing without a Pushgateway URL', async () => {
    // Prepare
    const strategy = recordingStrategy();
    const flush = createFlusher({ url: undefined, intervalMs: 0, timeoutMs: 300, strategy });

    // Act
    const result = await flush.maybeFlush({ functionName: 'signals', force: true });

    // Assess
    expect(result).toEqual({ pushed: false, reason: 'disabled' });
    expect(strategy.groupings).toEqual([]);
  });

  it('pushes on the first flush, under job, function and instance', async () => {
    // Prepare
    const strategy = recordingStrategy();

    // Act
    const result = await flusher(strategy).maybeFlush({ functionName: 'signals' });

    // Assess
    expect(result).toEqual({ pushed: true, reason: 'pushed' });
    expect(strategy.groupings).toEqual([{ job: 'signal-harvester', function: 'signals', instance: 'container-a' }]);
    expect(await valueOf(pushesTotal)).toBe(1);
  });

  it('does not push again within the interval, and pushes once it has passed', async () => {
    // Prepare
    const strategy = recordingStrategy();
    const clock = manualClock();
    const flush = flusher(strategy, { intervalMs: 10_000, now: clock.now });
    await flush.maybeFlush({ functionName: 'signals' });

    // Act
    clock.advance(9_999);
    const early = await flush.maybeFlush({ functionName: 'signals' });
    clock.advance(1);
    const due = await flush.maybeFlush({ functionName: 'signals' });

    // Assess
    expect(early).toEqual({ pushed: false, reason: 'not_due' });
    expect(due).toEqual({ pushed: true, reason: 'pushed' });
    expect(strategy.groupings).toHaveLength(2);
  });

  it('pushes on every flush when the interval is 0', async () => {
    // Prepare
    const strategy = recordingStrategy();
    const flush = flusher(strategy, { intervalMs: 0, now: manualClock().now });

    // Act
    for (let i = 0; i < 3; i += 1) await flush.maybeFlush({ functionName: 'signals' });

    // Assess
    expect(strategy.groupings).toHaveLength(3);
  });

  it('pushes when forced, whatever the interval says (jobs)', async () => {
    // Prepare
    const strategy = recordingStrategy();
    const flush = flusher(strategy, { intervalMs: 60_000, now: manualClock().now });
    await flush.maybeFlush({ functionName: 'janitor' });

    // Act
    const result = await flush.maybeFlush({ functionName: 'janitor', force: true });

    // Assess
    expect(result.pushed).toBe(true);
    expect(strategy.groupings).toHaveLength(2);
  });

  it('keeps one interval per function, as one local process serves several', async () => {
    // Prepare
    const strategy = recordingStrategy();
    const flush = flusher(strategy, { now: manualClock().now });

    // Act
    await flush.maybeFlush({ functionName: 'signals' });
    await flush.maybeFlush({ functionName: 'admin' });

    // Assess
    expect(strategy.groupings.map((grouping) => grouping.function)).toEqual(['signals', 'admin']);
  });

  it('gives up a push that overruns its budget, aborting it, and counts a timeout', async () => {
    // Prepare
    captureLogLines('WARN');
    let aborted = false;
    const strategy = recordingStrategy(
      (signal) =>
        new Promise<void>(() => {
          signal.addEventListener('abort', () => {
            aborted = true;
          });
        }),
    );
    const started = performance.now();

    // Act
    const result = await flusher(strategy, { timeoutMs: 50 }).maybeFlush({ functionName: 'signals' });

    // Assess
    const elapsed = performance.now() - started;
    expect(result).toEqual({ pushed: false, reason: 'timeout' });
    expect(aborted).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(45);
    expect(elapsed).toBeLessThan(250);
    expect(await valueOf(pushFailuresTotal, { reason: 'timeout' })).toBe(1);
  });

  it('caps the budget at the remaining time minus the safety margin', async () => {
    // Prepare
    captureLogLines('WARN');
    const strategy = recordingStrategy(() => new Promise<void>(() => undefined));
    const started = performance.now();

    // Act
    const result = await flusher(strategy, { timeoutMs: 5_000 }).maybeFlush({ functionName: 'signals', remainingMs: 160 });

    // Assess: 160 ms left, 100 ms kept for Lambda: a 60 ms budget
    expect(result.reason).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(400);
  });

  it('does not start a push when the remaining time leaves no budget, and counts it', async () => {
    // Prepare
    captureLogLines('WARN');
    const strategy = recordingStrategy();

    // Act
    const result = await flusher(strategy).maybeFlush({ functionName: 'signals', remainingMs: 90 });

    // Assess
    expect(result).toEqual({ pushed: false, reason: 'no_time' });
    expect(strategy.groupings).toEqual([]);
    expect(await valueOf(pushFailuresTotal, { reason: 'no_time' })).toBe(1);
  });

  it.each([
    ['a refusal from the gateway', new PushgatewayError('400', 400), 'rejected'],
    ['a network error', new TypeError('fetch failed'), 'unreachable'],
  ] as const)('never throws on %s, and counts it by reason', async (_what, error, reason) => {
    // Prepare
    captureLogLines('WARN');
    const strategy = recordingStrategy(() => Promise.reject(error));

    // Act
    const result = await flusher(strategy).maybeFlush({ functionName: 'signals' });

    // Assess
    expect(result).toEqual({ pushed: false, reason });
    expect(await valueOf(pushFailuresTotal, { reason })).toBe(1);
    expect(await valueOf(pushesTotal)).toBe(0);
  });

  it('retries a failed push only after the interval, so a gateway that is down costs one request per interval', async () => {
    // Prepare
    captureLogLines('WARN');
    const strategy = recordingStrategy(() => Promise.reject(new TypeError('fetch failed')));
    const clock = manualClock();
    const flush = flusher(strategy, { intervalMs: 10_000, now: clock.now });

    // Act
    await flush.maybeFlush({ functionName: 'signals' });
    await flush.maybeFlush({ functionName: 'signals' });
    clock.advance(10_000);
    await flush.maybeFlush({ functionName: 'signals' });

    // Assess
    expect(strategy.groupings).toHaveLength(2);
  });

  it('logs a warning at most once a minute, however many pushes fail', async () => {
    // Prepare
    const warnings = captureLogLines('WARN');
    const strategy = recordingStrategy(() => Promise.reject(new TypeError('fetch failed')));
    const clock = manualClock();
    const flush = flusher(strategy, { intervalMs: 0, now: clock.now });

    // Act
    for (let i = 0; i < 5; i += 1) {
      await flush.maybeFlush({ functionName: 'signals' });
      clock.advance(10_000);
    }
    clock.advance(20_000);
    await flush.maybeFlush({ functionName: 'signals' });

    // Assess
    const lines = warnings().filter((line) => line.message === 'metrics push failed');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ reason: 'unreachable', function_name: 'signals' });
    expect(await valueOf(pushFailuresTotal, { reason: 'unreachable' })).toBe(6);
  });

  it('skips a flush while the same function is still pushing, unless forced', async () => {
    // Prepare
    const pending: Array<() => void> = [];
    const strategy = recordingStrategy(
      () =>
        new Promise<void>((resolve) => {
          pending.push(resolve);
        }),
    );
    const flush = flusher(strategy, { intervalMs: 0 });
    const first = flush.maybeFlush({ functionName: 'signals' });

    // Act
    const second = await flush.maybeFlush({ functionName: 'signals' });
    const forced = flush.maybeFlush({ functionName: 'signals', force: true });
    pending[0]?.();
    await first;
    await vi.waitFor(() => expect(pending).toHaveLength(2));
    pending[1]?.();

    // Assess
    expect(second).toEqual({ pushed: false, reason: 'in_flight' });
    expect(await forced).toEqual({ pushed: true, reason: 'pushed' });
    expect(strategy.groupings).toHaveLength(2);
  });
});
