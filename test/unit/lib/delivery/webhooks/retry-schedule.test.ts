// The retry schedule: a delay after each failure, jittered within ±20 %, then given up.
import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, RETRY_DELAYS_MS, retryDelayMs } from '../../../../../lib/delivery/webhooks/retry-schedule.js';

describe('the webhook retry schedule', () => {
  it('waits the scheduled delay after each failure, jittered by at most 20 %', () => {
    RETRY_DELAYS_MS.forEach((base, i) => {
      expect(retryDelayMs(i + 1, () => 0)).toBe(Math.round(base * 0.8));
      expect(retryDelayMs(i + 1, () => 0.5)).toBe(base);
      expect(retryDelayMs(i + 1, () => 0.999_999)).toBeLessThanOrEqual(Math.round(base * 1.2));
    });
  });

  it('gives up after the last attempt', () => {
    expect(MAX_ATTEMPTS).toBe(8);
    expect(retryDelayMs(MAX_ATTEMPTS)).toBeUndefined();
    expect(retryDelayMs(0)).toBeUndefined();
  });
});
