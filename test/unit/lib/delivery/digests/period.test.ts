// When a digest is due and the window it covers: fixed UTC boundaries, a grace after each, the time
// since the last digest (at most two periods), nothing due twice.
import { describe, expect, it } from 'vitest';
import { DIGEST_GRACE_MS, dueWindow, periodBoundary } from '../../../../../lib/delivery/digests/period.js';

const at = (iso: string): Date => new Date(iso);

describe('a digest period', () => {
  it('ends at 00:00 UTC for daily and at Monday 00:00 UTC for weekly', () => {
    expect(periodBoundary('daily', at('2026-12-04T17:30:00Z'))).toEqual(at('2026-12-04T00:00:00Z'));
    // 2026-12-04 is a Friday; that week's Monday is 2026-11-30.
    expect(periodBoundary('weekly', at('2026-12-04T17:30:00Z'))).toEqual(at('2026-11-30T00:00:00Z'));
    expect(periodBoundary('weekly', at('2026-11-30T00:00:00Z'))).toEqual(at('2026-11-30T00:00:00Z'));
    // A Sunday belongs to the week that began six days before.
    expect(periodBoundary('weekly', at('2026-12-06T23:59:59Z'))).toEqual(at('2026-11-30T00:00:00Z'));
  });

  it('is due once its end plus the grace has passed, covering the period before it the first time', () => {
    const justAfter = new Date(at('2026-12-04T00:00:00Z').getTime() + DIGEST_GRACE_MS - 1);
    expect(dueWindow('daily', justAfter, null)).toEqual({ start: at('2026-12-02T00:00:00Z'), end: at('2026-12-03T00:00:00Z') });
    expect(dueWindow('daily', at('2026-12-04T00:10:00Z'), null)).toEqual({ start: at('2026-12-03T00:00:00Z'), end: at('2026-12-04T00:00:00Z') });
  });

  it('is not due again once built, and starts where the last one ended', () => {
    const now = at('2026-12-04T09:00:00Z');
    expect(dueWindow('daily', now, at('2026-12-04T00:00:00Z'))).toBeUndefined();
    expect(dueWindow('daily', now, at('2026-12-03T00:00:00Z'))).toEqual({ start: at('2026-12-03T00:00:00Z'), end: at('2026-12-04T00:00:00Z') });
    expect(dueWindow('weekly', now, at('2026-11-30T00:00:00Z'))).toBeUndefined();
    expect(dueWindow('weekly', now, at('2026-11-23T00:00:00Z'))).toEqual({ start: at('2026-11-23T00:00:00Z'), end: at('2026-11-30T00:00:00Z') });
  });

  it('catches up after a missed period but covers at most two', () => {
    const now = at('2026-12-04T09:00:00Z');
    expect(dueWindow('daily', now, at('2026-12-02T00:00:00Z'))).toEqual({ start: at('2026-12-02T00:00:00Z'), end: at('2026-12-04T00:00:00Z') });
    expect(dueWindow('daily', now, at('2026-11-01T00:00:00Z'))).toEqual({ start: at('2026-12-02T00:00:00Z'), end: at('2026-12-04T00:00:00Z') });
  });
});
