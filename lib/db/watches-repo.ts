// Watches in Postgres: saved queries owned by an API key, each with a hashed feed token. Every
// read and write is scoped by owner unless the caller passes `owner: undefined` (admins), so a key
// can neither see nor change another key's watch. Ids arrive from URLs: a malformed one is "not
// found" without a query.
import type { Watch, WatchFilter } from '../model/watch.js';
import { isSignalId } from './ids.js';
import { empty, join, sql, type Sql } from './sql.js';
import type { Db, Queryable } from './types.js';

export interface NewWatch {
  ownerKeyId: string;
  name: string;
  filter: WatchFilter;
  /** Hex SHA-256 of the feed token, and its display prefix (lib/delivery/feed-token.ts). */
  feedTokenHash: string;
  feedTokenPrefix: string;
}

export interface WatchPatch {
  name?: string;
  /** Replaces the whole filter. */
  filter?: WatchFilter;
}

/** Whose watches a call may touch: one key's, or (admins) everyone's. */
export interface WatchScope {
  /** The caller's key id; undefined means every owner (admin). */
  owner: string | undefined;
}

/** A watch as its feed needs it, with whether the owning key still stands. */
export interface FeedWatch extends Watch {
  /** The owning key was revoked: the feed answers 404 like an unknown token. */
  ownerRevoked: boolean;
  /** updated_at in whole microseconds since the epoch (a Date keeps only milliseconds): the exact version feedWatchCurrent checks. */
  versionMicros: string;
}

const WATCH_COLUMNS = sql`
  watches.id::text AS id, watches.owner_key_id AS "ownerKeyId", watches.name, watches.filter,
  watches.feed_token_prefix AS "feedTokenPrefix", watches.created_at AS "createdAt", watches.updated_at AS "updatedAt"`;

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Whether the owning key of the `watches` row in scope was revoked. */
const OWNER_REVOKED = sql`EXISTS (SELECT 1 FROM api_keys WHERE api_keys.id::text = watches.owner_key_id AND api_keys.revoked_at IS NOT NULL)`;
/** updated_at to the microsecond, as an integer (exact, unlike a JS Date). */
const VERSION_MICROS = sql`(extract(epoch FROM watches.updated_at) * 1000000)::bigint`;

/** jsonb as JSON text: both drivers pass a string through unchanged. */
function jsonb(value: WatchFilter): string {
  return JSON.stringify(value);
}

function scoped(scope: WatchScope, id: string): Sql {
  const byId = sql`watches.id = ${id}::bigint`;
  return scope.owner === undefined ? byId : sql`${byId} AND watches.owner_key_id = ${scope.owner}`;
}

/**
 * Creates a watch unless its owner already has `cap` of them; undefined when the cap is reached.
 * The count and the insert run under a per-owner transaction lock, so two concurrent creates
 * cannot both take the last place.
 */
export async function createWatch(db: Db, watch: NewWatch, cap: number): Promise<Watch | undefined> {
  return db.transaction(async (tx) => {
    await tx.query(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`watches:${watch.ownerKeyId}`}, 0))`);
    const [count] = await tx.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM watches WHERE owner_key_id = ${watch.ownerKeyId}`);
    if ((count?.n ?? 0) >= cap) return undefined;
    const rows = await tx.query<Watch>(sql`
      INSERT INTO watches (owner_key_id, name, filter, feed_token_hash, feed_token_prefix)
      VALUES (${watch.ownerKeyId}, ${watch.name}, ${jsonb(watch.filter)}::jsonb, ${watch.feedTokenHash}, ${watch.feedTokenPrefix})
      RETURNING ${WATCH_COLUMNS}`);
    const [created] = rows;
    if (created === undefined) throw new Error('INSERT … RETURNING returned no row');
    return created;
  });
}

/** The scope's watches, newest first. */
export function listWatches(db: Queryable, scope: WatchScope): Promise<Watch[]> {
  const where = scope.owner === undefined ? empty : sql`WHERE owner_key_id = ${scope.owner}`;
  return db.query<Watch>(sql`SELECT ${WATCH_COLUMNS} FROM watches ${where} ORDER BY watches.id DESC`);
}

export async function getWatch(db: Queryable, scope: WatchScope, id: string): Promise<Watch | undefined> {
  if (!isSignalId(id)) return undefined;
  const rows = await db.query<Watch>(sql`SELECT ${WATCH_COLUMNS} FROM watches WHERE ${scoped(scope, id)}`);
  return rows[0];
}

/** Applies the given fields and bumps updated_at (which changes the feed's validators). */
export async function updateWatch(db: Queryable, scope: WatchScope, id: string, patch: WatchPatch): Promise<Watch | undefined> {
  if (!isSignalId(id)) return undefined;
  const assignments: Sql[] = [sql`updated_at = now()`];
  if (patch.name !== undefined) assignments.push(sql`name = ${patch.name}`);
  if (patch.filter !== undefined) assignments.push(sql`filter = ${jsonb(patch.filter)}::jsonb`);
  const rows = await db.query<Watch>(sql`UPDATE watches SET ${join(assignments, ', ')} WHERE ${scoped(scope, id)} RETURNING ${WATCH_COLUMNS}`);
  return rows[0];
}

/** Replaces the feed token: the old feed URL stops working at once. */
export async function rotateFeedToken(db: Queryable, scope: WatchScope, id: string, hash: string, prefix: string): Promise<Watch | undefined> {
  if (!isSignalId(id)) return undefined;
  const rows = await db.query<Watch>(sql`
    UPDATE watches SET feed_token_hash = ${hash}, feed_token_prefix = ${prefix}, updated_at = now()
    WHERE ${scoped(scope, id)} RETURNING ${WATCH_COLUMNS}`);
  return rows[0];
}

/** Whether a watch was deleted. */
export async function deleteWatch(db: Queryable, scope: WatchScope, id: string): Promise<boolean> {
  if (!isSignalId(id)) return false;
  const rows = await db.query<{ id: string }>(sql`DELETE FROM watches WHERE ${scoped(scope, id)} RETURNING id::text AS id`);
  return rows.length > 0;
}

/** The watch whose feed token hashes to `hash`, with whether its owner's key was revoked. */
export async function findWatchByFeedTokenHash(db: Queryable, hash: string): Promise<FeedWatch | undefined> {
  if (!SHA256_HEX.test(hash)) return undefined;
  const rows = await db.query<FeedWatch>(sql`
    SELECT ${WATCH_COLUMNS}, ${OWNER_REVOKED} AS "ownerRevoked", ${VERSION_MICROS}::text AS "versionMicros"
    FROM watches WHERE feed_token_hash = ${hash}`);
  return rows[0];
}

/**
 * A condition true while the watch looked up by `hash` is exactly as it was (same token, same
 * updated_at, which every edit bumps, its key not revoked): added to the feed's page query, it lets
 * a container reuse a cached look-up and still answer a rotated, edited, deleted or revoked watch's
 * feed at once, in the same round trip. Uncorrelated, so Postgres evaluates it once per query.
 */
export function feedWatchCurrent(hash: string, watch: FeedWatch): Sql {
  return sql`EXISTS (
    SELECT 1 FROM watches WHERE watches.id = ${watch.id}::bigint AND feed_token_hash = ${hash}
      AND ${VERSION_MICROS} = ${watch.versionMicros}::bigint AND NOT ${OWNER_REVOKED})`;
}
