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
    const assignments: Sql[] = [];
    if (patch.mode !== undefined) assignments.push(sql`delivery_mode = ${patch.mode}`);
    if (patch.digestSize !== undefined) assignments.push(sql`digest_size = ${patch.digestSize}`);
    const locked = assignments.length === 0
      ? await tx.query<{ id: string }>(sql`SELECT watches.id::text AS id FROM watches WHERE ${scoped(scope, id)} FOR UPDATE`)
      : await tx.query<{ id: string }>(sql`UPDATE watches SET ${join(assignments, ', ')} WHERE ${scoped(scope, id)} RETURNING watches.id::text AS id`);
    if (locked.length === 0) return undefined;
    if (patch.slack === null) {
      await tx.query(sql`DELETE FROM watch_slack WHERE watch_id = ${id}::bigint`);
    } else if (patch.slack !== undefined) {
      await tx.query(sql`
        INSERT INTO watch_slack (watch_id, url_sealed, url_hint) VALUES (${id}::bigint, ${patch.slack.urlSealed}, ${patch.slack.urlHint})
        ON CONFLICT (watch_id) DO UPDATE SET url_sealed = EXCLUDED.url_sealed, url_hint = EXCLUDED.url_hint, updated_at = now()`);
    }
    const rows = await tx.query<WatchDelivery>(sql`SELECT ${DELIVERY_COLUMNS} FROM watches WHERE watches.id = ${id}::bigint`);
    return rows[0];
  });
}

/** The sealed Slack URLs of these watches, by watch id (for the senders; never for a response). */
export async function sealedSlackUrls(db: Queryable, watchIds: readonly string[]): Promise<Map<string, string>> {
  if (watchIds.length === 0) return new Map();
  const rows = await db.query<{ watchId: string; urlSealed: string }>(sql`
    SELECT watch_id::text AS "watchId", url_sealed AS "urlSealed" FROM watch_slack WHERE watch_id = ANY(${[...new Set(watchIds)]}::bigint[])`);
  return new Map(rows.map((row) => [row.watchId, row.urlSealed]));
}
