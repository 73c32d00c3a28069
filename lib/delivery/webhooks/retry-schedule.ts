// When a failed webhook delivery is tried again: the schedule Standard Webhooks suggests (and Svix
// uses), with ±20 % jitter so deliveries that failed together (one receiver down) do not all come
// back in the same second. After the last entry the delivery is given up and marked failed.

/** Delay before attempt n+1 after n failed attempts (index n-1); 8 attempts over about 28 hours. */
export const RETRY_DELAYS_MS = [
  5_000, // 5 seconds
  5 * 60_000, // 5 minutes
  30 * 60_000, // 30 minutes
  2 * 3_600_000, // 2 hours
  5 * 3_600_000, // 5 hours
  10 * 3_600_000, // 10 hours
  10 * 3_600_000, // 10 hours
] as const;

/** Attempts in all (the first plus one per delay). */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

const JITTER = 0.2;

/**
 * The delay after `failedAttempts` failures, or undefined when the delivery is given up.
 * `random` is in [0, 1) (Math.random by default; tests pass their own).
 */
export function retryDelayMs(failedAttempts: number, random: () => number = Math.random): number | undefined {
  const base = RETRY_DELAYS_MS[failedAttempts - 1];
  if (base === undefined) return undefined;
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}
