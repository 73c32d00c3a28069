// The enqueue step of the deliver job: per (watch, channel), the signals harvested since the
// cursor that match the watch's filter go into the outbox, a bounded number per call.
//
// Why a time cursor with an overlap rather than "id > last id": ids and fetched_at are taken when
// an ingest transaction inserts, but rows become visible when it commits, so a sweep can see a
// later row before an earlier one. Each look therefore starts ENQUEUE_OVERLAP_MS before the cursor
// (longer than a Lambda can run, so longer than any ingest transaction) and skips what is already
// in the outbox; the outbox's unique key makes a second look harmless, and two sweeps enqueueing
// the same watch at once insert each (watch, signal, channel) once.
import type { DeliveryChannel } from '../model/delivery.js';
import type { WatchFilter } from '../model/watch.js';
import type { SignalFilter } from './signals-types.js';
import { filterConditions } from './signals-queries.js';
import { ownerKeyRow } from './owner-key-sql.js';
import { join, sql } from './sql.js';
import type { Queryable } from './types.js';

/** How far before its cursor each look starts: Lambda's 15-minute limit bounds an ingest transaction. */
export const ENQUEUE_OVERLAP_MS = 15 * 60_000;

export interface CursorWatch {
  watchId: string;
  filter: WatchFilter;
  enqueuedUntil: Date;
  /** Nothing harvested before this is enqueued. */
  startsAt: Date;
}

export interface EnqueueResult {
  /** Deliveries added to the outbox. */
  enqueued: number;
  /** The limit was reached: more may be waiting (the next sweep continues). */
  full: boolean;
}

/**
 * Watches set up for `channel` whose owner's key still stands and that deliver item by item (not
 * as digests: lib/delivery/digests/), the longest waiting first. (A cursor row exists only while
 * the channel is set up: putWebhookEndpoint or a Slack URL opens it, removing it deletes it.)
 */
export function dueCursorWatches(db: Queryable, channel: DeliveryChannel, limit: number): Promise<CursorWatch[]> {
  return db.query<CursorWatch>(sql`
    SELECT c.watch_id::text AS "watchId", w.filter, c.enqueued_until AS "enqueuedUntil", c.starts_at AS "startsAt"
    FROM delivery_cursors c JOIN watches w ON w.id = c.watch_id
    WHERE c.channel = ${channel} AND w.delivery_mode = 'item'
      AND NOT EXISTS (SELECT 1 FROM api_keys k WHERE k.id = ${ownerKeyRow('w')} AND k.revoked_at IS NOT NULL)
    ORDER BY c.enqueued_until, c.watch_id
    LIMIT ${limit}`);
}

/**
 * Enqueues up to `limit` signals matching `filter` (the signals query's own conditions) harvested
 * since the watch's cursor and not yet queued for it, oldest first, each with a new message id
 * (its `webhook-id` for good), and moves the cursor: to the last one taken when the limit was
 * reached, else to now. One statement, so the rows and the cursor move together.
 */
export async function enqueueMatching(db: Queryable, channel: DeliveryChannel, watch: CursorWatch, filter: SignalFilter, limit: number): Promise<EnqueueResult> {
  const conditions = [
    ...filterConditions(filter),
    sql`signals.fetched_at > greatest(${watch.enqueuedUntil}::timestamptz - ${ENQUEUE_OVERLAP_MS} * interval '1 millisecond', ${watch.startsAt}::timestamptz)`,
    sql`NOT EXISTS (SELECT 1 FROM delivery_outbox o WHERE o.watch_id = ${watch.watchId}::bigint AND o.signal_id = signals.id AND o.channel = ${channel})`,
  ];
  const [row] = await db.query<{ picked: number; inserted: number }>(sql`
    WITH picked AS (
      SELECT signals.id, signals.fetched_at FROM signals WHERE ${join(conditions, ' AND ')}
      ORDER BY signals.fetched_at, signals.id LIMIT ${limit}),
    inserted AS (
      INSERT INTO delivery_outbox (watch_id, signal_id, channel, message_id)
      SELECT ${watch.watchId}::bigint, picked.id, ${channel}, 'msg_' || replace(gen_random_uuid()::text, '-', '')
      FROM picked ORDER BY picked.fetched_at, picked.id
      ON CONFLICT DO NOTHING RETURNING 1),
    moved AS (
      UPDATE delivery_cursors SET enqueued_until = CASE
          WHEN (SELECT count(*) FROM picked) >= ${limit} THEN (SELECT max(fetched_at) FROM picked) ELSE now() END
      WHERE watch_id = ${watch.watchId}::bigint AND channel = ${channel})
    SELECT (SELECT count(*)::int FROM picked) AS picked, (SELECT count(*)::int FROM inserted) AS inserted`);
  return { enqueued: row?.inserted ?? 0, full: (row?.picked ?? 0) >= limit };
}
