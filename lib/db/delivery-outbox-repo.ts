// The delivery outbox: what to send to whom, claimed by sweeps that may overlap, recorded as
// delivered, retried or given up (a leased queue: leased-queue.ts).
import type { Delivery } from '../model/delivery.js';
import { leasedQueue } from './leased-queue.js';
import { sql } from './sql.js';
import type { Queryable } from './types.js';

export type NewDelivery = Pick<Delivery, 'watchId' | 'signalId' | 'channel' | 'messageId'>;

const DELIVERY_COLUMNS = sql`
  id::text AS id, watch_id::text AS "watchId", signal_id::text AS "signalId", channel, message_id AS "messageId", status,
  attempts, next_attempt_at AS "nextAttemptAt", last_error AS "lastError", created_at AS "createdAt", delivered_at AS "deliveredAt"`;

/** Claimed by deliver sweeps that may overlap (lib/delivery/sweep.ts). Pure: a bundle that only lists deliveries leaves it out. */
export const outbox = /* @__PURE__ */ leasedQueue<Delivery>('delivery_outbox', DELIVERY_COLUMNS);

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

/** Pending deliveries and the age of the oldest in seconds (the outbox depth and oldest-age metrics). */
export async function outboxDepth(db: Queryable): Promise<{ pending: number; oldestAgeSeconds: number }> {
  const [row] = await db.query<{ pending: number; oldest: number | null }>(sql`
    SELECT count(*)::int AS pending, extract(epoch FROM now() - min(created_at))::double precision AS oldest
    FROM delivery_outbox WHERE status = 'pending'`);
  return { pending: row?.pending ?? 0, oldestAgeSeconds: row?.oldest ?? 0 };
}

/**
 * One watch's deliveries, newest first, a keyset page: those with an id below `beforeId` when given
 * (GET /v1/watches/{id}/deliveries).
 */
export function listDeliveries(db: Queryable, watchId: string, limit: number, beforeId?: string): Promise<Delivery[]> {
  const before = beforeId === undefined ? sql`` : sql`AND id < ${beforeId}::bigint`;
  return db.query<Delivery>(sql`SELECT ${DELIVERY_COLUMNS} FROM delivery_outbox WHERE watch_id = ${watchId}::bigint ${before} ORDER BY id DESC LIMIT ${limit}`);
}
