// How long a source asks us to wait before the next attempt. `Retry-After` (RFC 9110: seconds or an
// HTTP date) wins; rate-limit responses without it carry the reset time as epoch seconds instead
// (GitHub `x-ratelimit-reset`, X `x-rate-limit-reset`). Pure functions: the retry schedule in retry.ts
// decides what to do with the answer.

/** The wait a `Retry-After` value asks for, ms (0 for a date already past); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Only a date that names a weekday or month is one: Date.parse reads bare numbers as years.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Below this a reset is seconds from now (Reddit's `x-ratelimit-reset`), above it epoch seconds (GitHub, X). */
const EPOCH_SECONDS_FLOOR = 1_000_000_000;

/**
 * The wait until a rate-limit reset, ms (0 when past); undefined when absent or unreadable. GitHub
 * and X give the reset as epoch seconds, Reddit as seconds from now: a value below 10^9 (2001) can
 * only be the latter.
 */
export function parseResetEpoch(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  const seconds = Number(value);
  if (seconds < EPOCH_SECONDS_FLOOR) return Math.ceil(seconds * 1000);
  return Math.max(0, seconds * 1000 - nowMs);
}

/** Response headers the wait is read from (a `Headers` fits). */
export interface WaitHeaders {
  get(name: string): string | null;
}

/**
 * The wait a refused request asks for, ms: `Retry-After` first, then, for a rate limit only, the
 * reset time of GitHub or X. Undefined = the source did not say (the caller backs off instead).
 */
export function requestedWait(headers: WaitHeaders, rateLimited: boolean, nowMs: number): number | undefined {
  const retryAfter = parseRetryAfter(headers.get('retry-after'), nowMs);
  if (retryAfter !== undefined || !rateLimited) return retryAfter;
  return parseResetEpoch(headers.get('x-ratelimit-reset') ?? headers.get('x-rate-limit-reset'), nowMs);
}
