// The one retry schedule of the harvest's outbound HTTP (source adapters in sources/http.ts, the
// Slack webhook in notify/slack.ts): how long to wait before the next attempt, or why not to wait.
// Exponential backoff with jitter (the upper half of each step random, so retries of many
// containers spread out but never come sooner than half the step), or exactly what the server asked
// for (Retry-After, read by retry-after.ts) — given up when that is longer than the caller accepts
// or would not end within the caller's remaining budget. What may be retried at all stays with each
// caller (Slack's "only when Slack surely did not take it" rule lives in slack.ts).
import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`, or rejects as soon as `signal` aborts. Injectable so tests record waits instead. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** A real timer that ends early (rejecting) when `signal` aborts. */
export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/**
 * Backoff before retry `n` (1-based), ms: step = base × 2^(n−1); the wait is half the step plus a
 * random share of the other half (`random` in [0, 1)), so it lies in [step/2, step].
 */
export function backoffDelay(n: number, baseMs: number, random: () => number): number {
  const step = baseMs * 2 ** (n - 1);
  return Math.round(step / 2 + (step / 2) * random());
}

export interface RetryWaitInput {
  /** The retry about to be made, 1-based (1 = the wait after the first failed attempt). */
  retry: number;
  /** Backoff base, ms. */
  baseMs: number;
  /** Jitter source in [0, 1). */
  random: () => number;
  /** The wait the server asked for (Retry-After, rate-limit reset), ms; undefined = back off. */
  requestedMs?: number;
  /** Longest requested wait accepted, ms; a longer one gives up. Default: no limit. */
  maxRequestedMs?: number;
  /** Time left of the caller's budget, ms; a wait that would not end within it gives up. Default: no limit. */
  remainingMs?: number;
}

export type RetryWait =
  | { retry: true; waitMs: number; requested: boolean }
  | { retry: false; waitMs: number; requested: boolean; reason: 'asked_too_long' | 'over_budget' };

/** The wait before the next attempt, or why there is none. */
export function nextRetryWait(input: RetryWaitInput): RetryWait {
  const requested = input.requestedMs !== undefined;
  const waitMs = input.requestedMs ?? backoffDelay(input.retry, input.baseMs, input.random);
  if (requested && input.maxRequestedMs !== undefined && waitMs > input.maxRequestedMs) {
    return { retry: false, waitMs, requested, reason: 'asked_too_long' };
  }
  if (input.remainingMs !== undefined && waitMs >= input.remainingMs) return { retry: false, waitMs, requested, reason: 'over_budget' };
  return { retry: true, waitMs, requested };
}
