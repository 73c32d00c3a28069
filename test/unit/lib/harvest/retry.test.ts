// The one retry schedule shared by the source adapters and the Slack notifier: jitter bounds,
// Retry-After (seconds and HTTP date, read through retry-after.ts) and the caps.
import { describe, expect, it } from 'vitest';
import { backoffDelay, nextRetryWait } from '../../../../lib/harvest/retry.js';
import { parseRetryAfter } from '../../../../lib/harvest/retry-after.js';

const NOW = Date.parse('2025-01-06T10:00:00Z');

describe('backoffDelay', () => {
  it('doubles the step per retry and keeps the jittered wait in [step/2, step]', () => {
    for (const [n, step] of [[1, 500], [2, 1000], [3, 2000]] as const) {
      expect(backoffDelay(n, 500, () => 0)).toBe(step / 2);
      expect(backoffDelay(n, 500, () => 0.999999)).toBe(step);
      for (let i = 0; i < 200; i++) {
        const wait = backoffDelay(n, 500, Math.random);
        expect(wait).toBeGreaterThanOrEqual(step / 2);
        expect(wait).toBeLessThanOrEqual(step);
      }
    }
  });

  it('spreads waits out (jitter is real with Math.random)', () => {
    const waits = new Set(Array.from({ length: 50 }, () => backoffDelay(2, 500, Math.random)));
    expect(waits.size).toBeGreaterThan(10);
  });
});

describe('nextRetryWait', () => {
  it('backs off when the server said nothing', () => {
    expect(nextRetryWait({ retry: 2, baseMs: 200, random: () => 0.5 })).toEqual({ retry: true, waitMs: 300, requested: false });
  });

  it('waits exactly a Retry-After in seconds, without jitter', () => {
    const requestedMs = parseRetryAfter('3', NOW);
    expect(nextRetryWait({ retry: 1, baseMs: 500, random: () => 0, requestedMs })).toEqual({ retry: true, waitMs: 3000, requested: true });
  });

  it('waits until a Retry-After HTTP date', () => {
    const requestedMs = parseRetryAfter('Mon, 06 Jan 2025 10:00:04 GMT', NOW);
    expect(nextRetryWait({ retry: 1, baseMs: 500, random: () => 0, requestedMs })).toMatchObject({ retry: true, waitMs: 4000 });
  });

  it('gives up on a requested wait longer than the caller accepts', () => {
    expect(nextRetryWait({ retry: 1, baseMs: 500, random: () => 0, requestedMs: 120_000, maxRequestedMs: 30_000 })).toEqual({
      retry: false,
      waitMs: 120_000,
      requested: true,
      reason: 'asked_too_long',
    });
  });

  it('caps by the remaining budget: a wait that would not end within it gives up', () => {
    expect(nextRetryWait({ retry: 1, baseMs: 500, random: () => 0, requestedMs: 5000, remainingMs: 4000 })).toMatchObject({ retry: false, reason: 'over_budget' });
    expect(nextRetryWait({ retry: 3, baseMs: 500, random: () => 0.999999, remainingMs: 2000 })).toMatchObject({ retry: false, reason: 'over_budget', waitMs: 2000 });
    expect(nextRetryWait({ retry: 3, baseMs: 500, random: () => 0, remainingMs: 2000 })).toEqual({ retry: true, waitMs: 1000, requested: false });
  });
});
