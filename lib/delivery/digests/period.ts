// When a digest is due and what it covers. Periods end on fixed UTC boundaries (midnight for daily,
// Monday 00:00 for weekly), so every run computes the same period and the digests table's unique
// (watch, channel, period_end) makes building one twice impossible. A period is built only a grace
// after its end, so signals from an ingest transaction still open at the boundary (fetched_at is
// its start) have committed before anyone looks.
import type { DigestPeriod } from '../../model/watch-delivery.js';

const DAY_MS = 86_400_000;
export const PERIOD_MS: Readonly<Record<DigestPeriod, number>> = { daily: DAY_MS, weekly: 7 * DAY_MS };
/** A period is built this long after it ends. */
export const DIGEST_GRACE_MS = 10 * 60_000;
/**
 * A digest covers the time since the last one, but at most this many periods: a job down for a day
 * still catches up, while a watch switched back to digests after a month starts afresh (what it
 * missed meanwhile went out item by item, or nowhere).
 */
export const MAX_PERIODS_COVERED = 2;

export interface DigestWindow {
  /** Exclusive. */
  start: Date;
  /** Inclusive; also the period's identity. */
  end: Date;
}

/** The latest period boundary at or before `at`: 00:00 UTC that day, or that week's Monday. */
export function periodBoundary(period: DigestPeriod, at: Date): Date {
  const midnight = Math.floor(at.getTime() / DAY_MS) * DAY_MS;
  if (period === 'daily') return new Date(midnight);
  // getUTCDay: Sunday 0 … Saturday 6; days since Monday.
  const sinceMonday = (new Date(midnight).getUTCDay() + 6) % 7;
  return new Date(midnight - sinceMonday * DAY_MS);
}

/** The window of the digest due at `now` after a last one ending `lastEnd`; undefined when none is due. */
export function dueWindow(period: DigestPeriod, now: Date, lastEnd: Date | null, graceMs: number = DIGEST_GRACE_MS): DigestWindow | undefined {
  const end = periodBoundary(period, new Date(now.getTime() - graceMs));
  if (lastEnd !== null && lastEnd.getTime() >= end.getTime()) return undefined;
  const earliest = end.getTime() - MAX_PERIODS_COVERED * PERIOD_MS[period];
  const start = lastEnd === null ? end.getTime() - PERIOD_MS[period] : Math.max(lastEnd.getTime(), earliest);
  return { start: new Date(start), end };
}
