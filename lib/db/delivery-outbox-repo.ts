// The delivery outbox: what to send to whom, claimed by sweeps that may overlap, recorded as
// delivered, retried or given up. Each call is one statement, so no transaction is held open while
// a sweep waits on a receiver.
import type { Delivery, DeliveryChannel } from '../model/delivery.js';
import { sql } from './sql.js';
import type { Queryable } from './types.js';

export interface NewDelivery {
  watchId: string;
  signalId: string;
  channel: DeliveryChannel;
  messageId: string;
}

/** last_error's bound in the schema. */
export const MAX_ERROR_LENGTH = 1000;

const DELIVERY_COLUMNS = sql`
  id::text AS id, watch_id::text AS "watchId", signal_id::text AS "signalId", channel, message_id AS "messageId", status,
  attempts, next_attempt_at AS "nextAttemptAt", last_error AS "lastError", created_at AS "createdAt", delivered_at AS "deliveredAt"`;

/**
 * Adds deliveries; one already queued for the same (watch, signal, channel) is left as it is, so
 * enqueuing again never sends twice. Returns how many were new.
 */
export async function enqueueDeliveries(db: Queryable, deliveries: readonly NewDelivery[]): Promise<number> {
  if (deliveries.length === 0) return 0;
  const rows = await db.query<{ id: string }>(sql`
    INSERT INTO delivery_outbox (watch_id, signal_id, channel, message_id)
    SELECT d."watchId"::bigint, d."signalId"::bigint, d.channel, d."messageId"
    FROM jsonb_to_recordset(${JSON.stringify(deliveries)}::jsonb) AS d("watchId" text, "signalId" text, channel text, "messageId" text)
    ON CONFLICT DO NOTHING
    RETURNING id::text AS id`);
  return rows.length;
}

/**
 * Claims up to `limit` due deliveries for one sweep: counts the attempt and moves next_attempt_at
 * `leaseMs` ahead, so neither an overlapping sweep (SKIP LOCKED while this runs, not due after) nor
 * the next one takes them. A sweep that dies before recording the outcome leaves them to come back
 * when the lease ends: delivery is at least once, and receivers deduplicate on `messageId`.
 */
export function claimDueDeliveries(db: Queryable, limit: number, leaseMs: number): Promise<Delivery[]> {
  return db.query<Delivery>(sql`
    UPDATE delivery_outbox SET attempts = attempts + 1, next_attempt_at = now() + ${leaseMs} * interval '1 millisecond'
    WHERE id IN (
      SELECT id FROM delivery_outbox
      WHERE status = 'pending' AND next_attempt_at <= now()
      ORDER BY next_attempt_at, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING ${DELIVERY_COLUMNS}`);
}

/** Records a successful attempt; false when the row was no longer pending (already recorded). */
export async function markDelivered(db: Queryable, id: string): Promise<boolean> {
  const rows = await db.query<{ id: string }>(sql`
    UPDATE delivery_outbox SET status = 'delivered', delivered_at = now(), last_error = NULL
    WHERE id = ${id}::bigint AND status = 'pending' RETURNING id::text AS id`);
  return rows.length > 0;
}

/**
 * Records a failed attempt: due again after `retryInMs`, or given up (`failed`) when that is
 * undefined (the schedule is exhausted: lib/delivery/webhooks/retry-schedule.ts).
 */
export async function markFailed(db: Queryable, id: string, error: string, retryInMs: number | undefined): Promise<boolean> {
  const bounded = error.slice(0, MAX_ERROR_LENGTH);
  const rows = await db.query<{ id: string }>(
    retryInMs === undefined
      ? sql`UPDATE delivery_outbox SET status = 'failed', last_error = ${bounded} WHERE id = ${id}::bigint AND status = 'pending' RETURNING id::text AS id`
      : sql`
        UPDATE delivery_outbox SET last_error = ${bounded}, next_attempt_at = now() + ${retryInMs} * interval '1 millisecond'
        WHERE id = ${id}::bigint AND status = 'pending' RETURNING id::text AS id`,
  );
  return rows.length > 0;
}

/** One watch's deliveries, newest first (GET /v1/watches/{id}/deliveries). */
export function listDeliveries(db: Queryable, watchId: string, limit: number): Promise<Delivery[]> {
  return db.query<Delivery>(sql`SELECT ${DELIVERY_COLUMNS} FROM delivery_outbox WHERE watch_id = ${watchId}::bigint ORDER BY id DESC LIMIT ${limit}`);
}

/** Pending deliveries and the age of the oldest in seconds (the outbox depth and oldest-age metrics). */
export async function outboxDepth(db: Queryable): Promise<{ pending: number; oldestAgeSeconds: number }> {
  const [row] = await db.query<{ pending: number; oldest: number | null }>(sql`
    SELECT count(*)::int AS pending, extract(epoch FROM now() - min(created_at))::double precision AS oldest
    FROM delivery_outbox WHERE status = 'pending'`);
  return { pending: row?.pending ?? 0, oldestAgeSeconds: row?.oldest ?? 0 };
}

/**
 * Gives claimed deliveries back without counting the claim as an attempt, due again after
 * `delayMs` (0 = the next sweep): what a sweep did not get to (its endpoint's budget ran out, or
 * the endpoint just failed and would fail these alike).
 */
export async function releaseDeliveries(db: Queryable, ids: readonly string[], delayMs: number): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db.query<{ id: string }>(sql`
    UPDATE delivery_outbox SET attempts = greatest(attempts - 1, 0), next_attempt_at = now() + ${delayMs} * interval '1 millisecond'
    WHERE id = ANY(${[...ids]}::bigint[]) AND status = 'pending' RETURNING id::text AS id`);
  return rows.length;
}

/** Records several successful attempts at once (a sweep's lane flushes them together). */
export async function markDeliveredMany(db: Queryable, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db.query<{ id: string }>(sql`
    UPDATE delivery_outbox SET status = 'delivered', delivered_at = now(), last_error = NULL
    WHERE id = ANY(${[...ids]}::bigint[]) AND status = 'pending' RETURNING id::text AS id`);
  return rows.length;
}

/** One watch's deliveries, newest first, a keyset page: those with an id below `beforeId` when given. */
export function listDeliveriesPage(db: Queryable, watchId: string, limit: number, beforeId?: string): Promise<Delivery[]> {
  const before = beforeId === undefined ? sql`` : sql`AND id < ${beforeId}::bigint`;
  return db.query<Delivery>(sql`SELECT ${DELIVERY_COLUMNS} FROM delivery_outbox WHERE watch_id = ${watchId}::bigint ${before} ORDER BY id DESC LIMIT ${limit}`);
}
