// A job's time budget, from the Lambda's remaining time at the start of the run (≈ its timeout):
//
//   start ─────────── shouldStop() ──────── signal aborts ──── runJob stops waiting ──── deadline
//                     max(reserve,          deadline − reserve   deadline − reserve/2
//                     stopFraction × start)
//
// `shouldStop()` asks a job to start nothing new (return what it has, its cursors let the next run
// go on); the signal aborts whatever it is still waiting for; half the reserve later runJob gives
// up on a work that ignored both, and the other half stores the outcome, releases the lock and
// pushes the metrics before Lambda's deadline.
import { JobTimeoutError } from './errors.js';

/** Default reserve: the work's wrap-up after the abort, then recording and the metrics push. */
export const DEFAULT_RESERVE_MS = 3_000;
/** Default fraction of the time at start below which shouldStop() is true. */
export const DEFAULT_STOP_FRACTION = 0.2;

export interface BudgetOptions {
  /**
   * Time before the deadline at which `signal` aborts, ms: half of it for the work to return what
   * it has, half for runJob's bookkeeping. At most half the time left at start, so a short budget
   * still gives the work some. Default DEFAULT_RESERVE_MS (3 s).
   */
  reserveMs?: number;
  /**
   * shouldStop() turns true once the time left falls below this fraction of the time at start (or
   * below the reserve, whichever is more). Default DEFAULT_STOP_FRACTION (0.2).
   */
  stopFraction?: number;
}

export interface Budget {
  /** Aborted (reason: JobTimeoutError) `reserve` ms before the deadline. */
  readonly signal: AbortSignal;
  /** True once the work should start nothing new. */
  readonly shouldStop: () => boolean;
  /** ms until `signal` aborts (0 once it has). */
  readonly workRemainingMs: () => number;
  /** ms until the Lambda's deadline. */
  readonly remainingMs: () => number;
  /** Rejects with JobTimeoutError when runJob stops waiting for the work (deadline − reserve/2). */
  readonly expired: Promise<never>;
  /** Clears the timers. */
  dispose(): void;
}

/** Starts the budget now; `remainingMs` is the Lambda's `context.getRemainingTimeInMillis`. */
export function startBudget(remainingMs: () => number, options: BudgetOptions = {}): Budget {
  const atStart = Math.max(0, remainingMs());
  const reserve = Math.min(options.reserveMs ?? DEFAULT_RESERVE_MS, Math.floor(atStart / 2));
  const stopBelow = Math.max(reserve, (options.stopFraction ?? DEFAULT_STOP_FRACTION) * atStart);
  const controller = new AbortController();
  const abortTimer = setTimeout(() => controller.abort(new JobTimeoutError()), Math.max(0, atStart - reserve));
  let expireTimer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    expireTimer = setTimeout(
      () => reject(new JobTimeoutError('job did not return within its time budget')),
      Math.max(0, atStart - Math.ceil(reserve / 2)),
    );
  });
  // Only a race reads it; unobserved, its rejection must not count as unhandled.
  expired.catch(() => undefined);
  return {
    signal: controller.signal,
    shouldStop: () => controller.signal.aborted || remainingMs() < stopBelow,
    workRemainingMs: () => (controller.signal.aborted ? 0 : Math.max(0, remainingMs() - reserve)),
    remainingMs: () => Math.max(0, remainingMs()),
    expired,
    dispose() {
      clearTimeout(abortTimer);
      clearTimeout(expireTimer);
    },
  };
}
