// A watch's delivery settings (mode, digest size) and its own Slack webhook, scoped like every
// watches call (watches-repo.ts WatchScope): a key reads and changes only its own watches'.
import type { DeliveryMode, WatchDelivery } from '../model/watch-delivery.js';
import { isSignalId } from './ids.js';
import { join, sql, type Sql } from './sql.js';
import type { Db, Queryable } from './types.js';
import type { WatchScope } from './watches-repo.js';

export interface WatchDeliveryPatch {
  mode?: DeliveryMode;
  digestSize?: number;
  /** A sealed URL and its hint to set, or null to remove the watch's Slack webhook. */
  slack?: { urlSealed: string; urlHint: string } | null;
}

function scoped(scope: WatchScope, id: string): Sql {
  const byId = sql`watches.id = ${id}::bigint`;
  return scope.owner === undefined ? byId : sql`${byId} AND watches.owner_key_id = ${scope.owner}`;
}

const DELIVERY_COLUMNS = sql`
  watches.id::text AS "watchId", watches.delivery_mode AS mode, watches.digest_size AS "digestSize",
  (SELECT s.url_hint FROM watch_slack s WHERE s.watch_id = watches.id) AS "slackHint"`;

export async function getWatchDelivery(db: Queryable, scope: WatchScope, id: string): Promise<WatchDelivery | undefined> {
  if (!isSignalId(id)) return undefined;
  const rows = await db.query<WatchDelivery>(sql`SELECT ${DELIVERY_COLUMNS} FROM watches WHERE ${scoped(scope, id)}`);
  return rows[0];
}

/**
 * Applies the patch in one transaction (the watch row locked first, so the Slack row cannot be set
 * for a watch deleted meanwhile; the URL arrives sealed for this watch id).
 * Undefined when there is no such watch in scope.
 */
export async function updateWatchDelivery(
  db: Db,
  scope: WatchScope,
  id: string,
  patch: WatchDeliveryPatch,
): Promise<WatchDelivery | undefined> {
  if (!isSignalId(id)) return undefined;
  return db.transaction(async (tx) => {
    const [previous] = await tx.query<{ mode: DeliveryMode }>(sql`SELECT delivery_mode AS mode FROM watches WHERE ${scoped(scope, id)} FOR UPDATE`);
    if (previous === undefined) return undefined;
    const assignments: Sql[] = [];
    if (patch.mode !== undefined) assignments.push(sql`delivery_mode = ${patch.mode}`);
    if (patch.digestSize !== undefined) assignments.push(sql`digest_size = ${patch.digestSize}`);
    if (assignments.length > 0) await tx.query(sql`UPDATE watches SET ${join(assignments, ', ')} WHERE watches.id = ${id}::bigint`);
    if (patch.mode === 'item' && previous.mode !== 'item') {
      // Back to item by item: from now on, not the backlog harvested while digests were on.
      await tx.query(sql`UPDATE delivery_cursors SET enqueued_until = now(), starts_at = now() WHERE watch_id = ${id}::bigint`);
    }
    if (patch.slack === null) {
      await tx.query(sql`DELETE FROM watch_slack WHERE watch_id = ${id}::bigint`);
      await tx.query(sql`DELETE FROM delivery_cursors WHERE watch_id = ${id}::bigint AND channel = 'slack'`);
      await tx.query(sql`
        UPDATE delivery_outbox SET status = 'failed', last_error = 'Slack webhook removed'
        WHERE watch_id = ${id}::bigint AND channel = 'slack' AND status = 'pending'`);
    } else if (patch.slack !== undefined) {
      await tx.query(sql`
        INSERT INTO watch_slack (watch_id, url_sealed, url_hint) VALUES (${id}::bigint, ${patch.slack.urlSealed}, ${patch.slack.urlHint})
        ON CONFLICT (watch_id) DO UPDATE SET url_sealed = EXCLUDED.url_sealed, url_hint = EXCLUDED.url_hint, updated_at = now()`);
      // Per-item delivery to Slack starts now (the deliver job's cursor); a replaced URL keeps its cursor.
      await tx.query(sql`INSERT INTO delivery_cursors (watch_id, channel) VALUES (${id}::bigint, 'slack') ON CONFLICT DO NOTHING`);
    }
    const rows = await tx.query<WatchDelivery>(sql`SELECT ${DELIVERY_COLUMNS} FROM watches WHERE watches.id = ${id}::bigint`);
    return rows[0];
  });
}

/** A watch's Slack webhook as the senders need it (never for a response). */
export interface SlackDestination {
  watchId: string;
  watchName: string;
  urlSealed: string;
}

/** The Slack webhooks of these watches (any owner: the senders are not callers). */
export function slackDestinations(db: Queryable, watchIds: readonly string[]): Promise<SlackDestination[]> {
  if (watchIds.length === 0) return Promise.resolve([]);
  return db.query<SlackDestination>(sql`
    SELECT s.watch_id::text AS "watchId", w.name AS "watchName", s.url_sealed AS "urlSealed"
    FROM watch_slack s JOIN watches w ON w.id = s.watch_id
    WHERE s.watch_id = ANY(${[...new Set(watchIds)]}::bigint[])`);
}
