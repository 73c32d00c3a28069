// What the deliver sweep (sweep.ts) and the digest run (digests/run-digests.ts) share about the
// rows they claim from a leased queue (lib/db/leased-queue.ts): how long a claim is leased, what
// became of each row (in the run's tally and deliveries_total), and how a failure is recorded.
import type { LeasedQueue } from '../db/leased-queue.js';
import type { Queryable } from '../db/types.js';
import { deliveriesTotal, type DeliveryResult } from '../metrics/delivery-metrics.js';
import type { JobContext } from '../model/job-context.js';
import type { DeliveryChannel } from '../model/delivery.js';
import { retryDelayMs } from './webhooks/retry-schedule.js';

/** The lease outlives the run by this much, so a run still recording never sees its rows re-claimed. */
export const LEASE_MARGIN_MS = 60_000;

/** How long a claim made now is leased: the rest of the run plus the margin. */
export function runLeaseMs(run: Pick<JobContext, 'remainingMs'>): number {
  return Math.max(0, run.remainingMs()) + LEASE_MARGIN_MS;
}

/** Delay after n failed attempts, or undefined = give up. */
export type RetryDelay = (failedAttempts: number) => number | undefined;

export interface Tally {
  delivered: number;
  retrying: number;
  gaveUp: number;
  /** Claimed but not tried: given back for a later run. */
  deferred: number;
}

/** Counts `n` rows of `channel` that ended as `result`. */
export function count(tally: Tally, channel: DeliveryChannel, result: DeliveryResult, n = 1): void {
  if (n === 0) return;
  deliveriesTotal.inc({ channel, result }, n);
  if (result === 'delivered') tally.delivered += n;
  else if (result === 'retrying') tally.retrying += n;
  else if (result === 'gave_up') tally.gaveUp += n;
  else tally.deferred += n;
}

interface Claimed {
  id: string;
  channel: DeliveryChannel;
  attempts: number;
}

/**
 * Records a failed attempt: due again after `retryDelay`'s delay (default: the Standard Webhooks
 * schedule), or given up once that is exhausted. Returns the delay.
 */
export async function recordFailure<Row>(db: Queryable, queue: LeasedQueue<Row>, row: Claimed, error: string, tally: Tally, retryDelay: RetryDelay = retryDelayMs): Promise<number | undefined> {
  const delay = retryDelay(row.attempts);
  await queue.markFailed(db, row.id, error, delay);
  count(tally, row.channel, delay === undefined ? 'gave_up' : 'retrying');
  return delay;
}

/** Gives a claimed row up without an attempt (nothing to send it to). */
export async function giveUp<Row>(db: Queryable, queue: LeasedQueue<Row>, row: Claimed, error: string, tally: Tally): Promise<void> {
  await queue.markFailed(db, row.id, error, undefined);
  count(tally, row.channel, 'gave_up');
}

/** Runs `work` over `items` with at most `limit` at once. */
export async function eachLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
