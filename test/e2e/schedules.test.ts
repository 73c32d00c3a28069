// The local runtime fires rate(...) and cron(...) schedules on time. The clock is faked so a
// five-minute schedule can be checked in milliseconds; the runtime, its timers and the handler are
// real.
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.js';
import { ticks } from '../fixtures/runtime/functions/tick.js';

const configPath = fileURLToPath(new URL('../fixtures/runtime/serverless.yml', import.meta.url));
const START = Date.parse('2026-01-01T00:02:30.000Z');
const MINUTE = 60_000;

describe('the local runtime schedules', () => {
  let runtime: LocalRuntime;

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: START });
    ticks.length = 0;
    runtime = await startLocalRuntime({ configPath, port: 0, database: false });
  });

  afterEach(async () => {
    await runtime.close();
    vi.useRealTimers();
  });

  it('lists every schedule and marks the disabled one', () => {
    expect(runtime.schedules).toEqual([
      { functionName: 'tick', expression: 'rate(1 minute)', enabled: true },
      { functionName: 'tick', expression: 'cron(*/5 * * * ? *)', enabled: true },
      { functionName: 'tick', expression: 'cron(0 3 * * ? *)', enabled: false },
      { functionName: 'tick', expression: 'rate(2 minutes)', enabled: true },
    ]);
  });

  it('fires rate(1 minute) every minute from start-up and cron(*/5 ...) on the five-minute marks', async () => {
    // Act: ten minutes pass
    await vi.advanceTimersByTimeAsync(10 * MINUTE);

    // Assess
    const scheduled = ticks.filter((tick) => (tick.event as { source?: string }).source === 'aws.events');
    const times = scheduled.map((tick) => new Date(tick.at).toISOString());
    const everyMinute = Array.from({ length: 10 }, (_, i) => new Date(START + (i + 1) * MINUTE).toISOString());
    const fiveMinuteMarks = ['2026-01-01T00:05:00.000Z', '2026-01-01T00:10:00.000Z'];
    expect(times.sort()).toEqual([...everyMinute, ...fiveMinuteMarks].sort());
  });

  it('hands the handler an EventBridge scheduled event, or the configured input', async () => {
    // Act
    await vi.advanceTimersByTimeAsync(2 * MINUTE);

    // Assess
    const scheduled = ticks.find((tick) => (tick.event as { source?: string }).source === 'aws.events');
    expect(scheduled?.event).toMatchObject({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: '2026-01-01T00:03:30Z',
      detail: {},
    });
    expect(scheduled?.functionName).toBe('fixture-local-tick');
    expect(ticks.filter((tick) => (tick.event as { source?: string }).source === 'constant')).toHaveLength(1);
  });

  it('never fires a disabled schedule', async () => {
    // Act: past 03:00
    await vi.advanceTimersByTimeAsync(3 * 60 * MINUTE);

    // Assess: 180 rate(1 minute), 36 five-minute marks, 90 rate(2 minutes); nothing extra at 03:00
    const atThree = ticks.filter((tick) => tick.at === Date.parse('2026-01-01T03:00:00.000Z'));
    expect(atThree).toHaveLength(1); // the five-minute mark only (the rates fire at :30)
    expect(ticks).toHaveLength(180 + 36 + 90);
  });
});
