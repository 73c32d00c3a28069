// The load test's traffic plan and settings, without generating load.
import { describe, expect, it } from 'vitest';
import { parseLoadOptions } from './options.js';
import { laneRequests, nextPath, planTraffic, ROUTE_CLASSES, seededRandom, type TrafficPlanInput } from './traffic.js';

const LIMITS = { anonymous: 100, api_key: 1000 };
const INPUT: TrafficPlanInput = { rate: 200, durationSeconds: 25, keyedSeconds: 28, limits: LIMITS, minKeys: 10 };

describe('planTraffic', () => {
  it('splits the target rate over the classes and lanes of at most 10 req/s, starting across one second', () => {
    // Act
    const plan = planTraffic(INPUT);

    // Assess
    expect(ROUTE_CLASSES.reduce((sum, name) => sum + plan.rates[name], 0)).toBe(200);
    expect(plan.lanes.reduce((sum, lane) => sum + lane.rate, 0)).toBe(200);
    expect(plan.lanes.every((lane) => lane.rate >= 1 && lane.rate <= 10)).toBe(true);
    expect(plan.lanes.every((lane) => lane.offsetMs >= 0 && lane.offsetMs < 1000)).toBe(true);
    expect(new Set(plan.lanes.map((lane) => lane.offsetMs)).size).toBe(plan.lanes.length);
    expect(plan.rates.list).toBeGreaterThan(plan.rates.search);
  });

  it('sends the abusive client past what two anonymous buckets (Redis and the memory fallback) allow over the run', () => {
    for (const rate of [200, 400]) {
      const plan = planTraffic({ ...INPUT, rate });

      expect(plan.anonymousAllowance).toBeCloseTo(100 + (100 / 60) * 25);
      expect(plan.rates.anonymous * 25, `rate ${String(rate)}`).toBeGreaterThanOrEqual(3 * plan.anonymousAllowance);
    }
  });

  it('never gives the abusive client more than 30 % of a small rate', () => {
    const plan = planTraffic({ ...INPUT, rate: 20, durationSeconds: 5 });

    expect(plan.rates.anonymous).toBe(6);
    expect(plan.rates.list + plan.rates.search + plan.rates.get).toBeGreaterThan(0);
  });

  it('creates enough keys that the keyed traffic uses at most half of any key’s bucket', () => {
    for (const rate of [200, 1000]) {
      const plan = planTraffic({ ...INPUT, rate });
      const keyed = plan.rates.list + plan.rates.search + plan.rates.get;

      expect(plan.keys).toBeGreaterThanOrEqual(10);
      expect((keyed * 28) / plan.keys).toBeLessThanOrEqual(0.5 * (1000 + (1000 / 60) * 28));
    }
  });
});

describe('requests', () => {
  const pool = { ids: ['a1', 'b2', 'c3'], keys: ['shk_one', 'shk_two'] };

  it('never repeats a filter in a list query (a repeated one is a 400)', () => {
    const random = seededRandom(3);
    for (let i = 0; i < 500; i += 1) {
      const names = [...new URLSearchParams(nextPath('list', random, pool).split('?')[1]).keys()];
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('gives each class its own routes, the same sequence for the same seed', () => {
    const paths = (seed: number): string[] => ROUTE_CLASSES.map((name) => nextPath(name, seededRandom(seed), pool));

    expect(paths(1)).toEqual(paths(1));
    const [list, search, get, health] = paths(1);
    expect(list).toMatch(/^\/v1\/signals\?sort=score&limit=20/);
    expect(search).toMatch(/^\/v1\/signals\?q=/);
    expect(get).toMatch(/^\/v1\/signals\/(a1|b2|c3)$/);
    expect(health).toMatch(/^\/health\/(live|ready)$/);
  });

  it('sends keyed classes with the keys in turn and the others without one', () => {
    // Prepare
    const build = (routeClass: 'list' | 'health'): Array<string | string[] | undefined> => {
      const [request] = laneRequests({ routeClass, rate: 1, offsetMs: 0 }, pool, 9);
      const setup = request?.setupRequest;
      if (typeof setup !== 'function') throw new Error('expected a setupRequest function');
      return [1, 2, 3].map(() => setup({ method: 'GET', path: '/', headers: {} }, {}).headers?.['x-api-key']);
    };

    // Act
    const keyed = build('list');
    const anonymous = build('health');

    // Assess
    expect(new Set(keyed)).toEqual(new Set(pool.keys));
    expect(keyed[0]).not.toBe(keyed[1]);
    expect(anonymous).toEqual([undefined, undefined, undefined]);
  });
});

describe('parseLoadOptions', () => {
  it('defaults to 200 req/s for 25 s on 10,000 signals', () => {
    expect(parseLoadOptions([], {})).toMatchObject({ rate: 200, durationSeconds: 25, warmupSeconds: 3, signals: 10_000, keys: 10, dbPoolMax: 8 });
  });

  it('takes a flag over a LOADTEST_* variable over the default', () => {
    const options = parseLoadOptions(['--rate', '50'], { LOADTEST_RATE: '80', LOADTEST_DURATION_S: '10', LOADTEST_WARMUP_S: '' });

    expect(options).toMatchObject({ rate: 50, durationSeconds: 10, warmupSeconds: 3 });
  });

  it('refuses a value that is not a whole number in range, and an unknown flag', () => {
    expect(() => parseLoadOptions(['--rate', '0'], {})).toThrow('--rate must be a whole number ≥ 1, got "0"');
    expect(() => parseLoadOptions([], { LOADTEST_DURATION_S: '2.5' })).toThrow('--duration');
    expect(() => parseLoadOptions(['--rps', '10'], {})).toThrow();
  });
});
