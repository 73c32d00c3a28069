import { describe, expect, it } from 'vitest';
import { parseResetEpoch, parseRetryAfter, requestedWait } from '../../../../lib/harvest/retry-after.js';

const NOW = Date.parse('2025-01-06T10:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('1', NOW)).toBe(1000);
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
    expect(parseRetryAfter('0', NOW)).toBe(0);
  });

  it('reads an HTTP date against the clock, a past one as no wait', () => {
    expect(parseRetryAfter('Mon, 06 Jan 2025 10:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Mon, 06 Jan 2025 09:59:00 GMT', NOW)).toBe(0);
  });

  it('ignores what is neither', () => {
    for (const value of [null, undefined, '', '  ', '-5', '1.5', 'soon', '2025-01-06']) {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    }
  });
});

describe('parseResetEpoch', () => {
  it('reads epoch seconds as the wait until then', () => {
    expect(parseResetEpoch(String(NOW / 1000 + 42), NOW)).toBe(42_000);
    expect(parseResetEpoch(String(NOW / 1000 - 1), NOW)).toBe(0);
    expect(parseResetEpoch('tomorrow', NOW)).toBeUndefined();
    expect(parseResetEpoch(null, NOW)).toBeUndefined();
  });
});

describe('requestedWait', () => {
  it('prefers Retry-After, then the rate-limit reset of GitHub or X, the latter only for rate limits', () => {
    const headers = (entries: Record<string, string>) => new Headers(entries);
    const reset = String(NOW / 1000 + 9);

    expect(requestedWait(headers({ 'retry-after': '3', 'x-ratelimit-reset': reset }), true, NOW)).toBe(3000);
    expect(requestedWait(headers({ 'x-ratelimit-reset': reset }), true, NOW)).toBe(9000);
    expect(requestedWait(headers({ 'x-rate-limit-reset': reset }), true, NOW)).toBe(9000);
    expect(requestedWait(headers({ 'x-ratelimit-reset': reset }), false, NOW)).toBeUndefined();
    expect(requestedWait(headers({}), true, NOW)).toBeUndefined();
  });
});
