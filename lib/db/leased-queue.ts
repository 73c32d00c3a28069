// A table as a work queue (the delivery outbox, the digests): due pending rows claimed with a lease,
// then recorded delivered, due again later, given up (`failed`), or given back untried. Each call is
// one statement, so no transaction is held open while a run waits on a receiver. Both tables share
// the columns this needs (status, attempts, next_attempt_at, last_error, delivered_at) and a partial
// index on (next_attempt_at, id) WHERE status = 'pending' that the claim walks.
import { raw, sql, type Sql } from './sql.js';
import type { Queryable } from './types.js';

/** last_error's bound in both tables' schema. */
export const MAX_ERROR_LENGTH = 1000;

/** The queue tables: identifiers of ours, the only text `raw` ever puts into these statements. */
export type QueueTable = 'delivery_outbox' | 'watch_digests';

export interface LeasedQueue<Row> {
  /**
   * Claims up to `limit` due rows: counts the attempt and moves next_attempt_at `leaseMs` ahead, so
   * neither an overlapping run (SKIP LOCKED while this runs, not due after) nor the next one takes
   * them. A run that dies before recording the outcome leaves them to come back when the lease
   * ends: delivery is at least once, and receivers deduplicate on the message id.
   */
  claimDue(db: Queryable, limit: number, leaseMs: number): Promise<Row[]>;
  /** Records successful attempts; how many rows were still pending (a recorded one is not again). */
  markDelivered(db: Queryable, ids: readonly string[]): Promise<number>;
  /**
   * Records a failed attempt: due again after `retryInMs`, or given up (`failed`) when that is
   * undefined (the schedule is exhausted: lib/delivery/webhooks/retry-schedule.ts). False when the
   * row was no longer pending.
   */
  markFailed(db: Queryable, id: string, error: string, retryInMs: number | undefined): Promise<boolean>;
  /**
   * Gives claimed rows back without counting the claim as an attempt, due again after `delayMs`
   * (0 = the next run): what a run did not get to. How many were still pending.
   */
  release(db: Queryable, ids: readonly string[], delayMs: number): Promise<number>;
}

/**
 * The queue over `table`, whose claims return `columns`. The claim takes its ids as an array
 * (`= ANY(ARRAY(…))`, an InitPlan) rather than `IN (…)`: with many rows pending the planner may
 * make `IN` a hash semi-join over a scan of the whole table; the array is always a primary-key look-up.
 */
export function leasedQueue<Row>(table: QueueTable, columns: Sql): LeasedQueue<Row> {
  const name = raw(table);
  const after = (ms: number): Sql => sql`now() + ${ms} * interval '1 millisecond'`;
  const pendingIn = (ids: readonly string[]): Sql => sql`id = ANY(${[...ids]}::bigint[]) AND status = 'pending' RETURNING id`;
  return {
    claimDue: (db, limit, leaseMs) =>
      db.query<Row>(sql`
        UPDATE ${name} SET attempts = attempts + 1, next_attempt_at = ${after(leaseMs)}
        WHERE id = ANY(ARRAY(
          SELECT id FROM ${name}
          WHERE status = 'pending' AND next_attempt_at <= now()
          ORDER BY next_attempt_at, id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED))
        RETURNING ${columns}`),

    async markDelivered(db, ids) {
      if (ids.length === 0) return 0;
      const rows = await db.query(sql`UPDATE ${name} SET status = 'delivered', delivered_at = now(), last_error = NULL WHERE ${pendingIn(ids)}`);
      return rows.length;
    },

    async markFailed(db, id, error, retryInMs) {
      const bounded = error.slice(0, MAX_ERROR_LENGTH);
      const outcome = retryInMs === undefined ? sql`status = 'failed'` : sql`next_attempt_at = ${after(retryInMs)}`;
      const rows = await db.query(sql`UPDATE ${name} SET ${outcome}, last_error = ${bounded} WHERE id = ${id}::bigint AND status = 'pending' RETURNING id`);
      return rows.length > 0;
    },

    async release(db, ids, delayMs) {
      if (ids.length === 0) return 0;
      const rows = await db.query(sql`UPDATE ${name} SET attempts = greatest(attempts - 1, 0), next_attempt_at = ${after(delayMs)} WHERE ${pendingIn(ids)}`);
      return rows.length;
    },
  };
}
