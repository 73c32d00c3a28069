// Web dashboard sessions (migration 0015). Only the SHA-256 hash of a session id is stored; the id
// itself lives in the browser's signed cookie. A session is active while it is neither expired nor
// revoked and its key is neither revoked nor gone (bootstrap sessions have no api_keys row: the
// caller checks their fingerprint against the configured key).
import type { Tier } from '../model/tiers.js';
import { sql } from './sql.js';
import type { Queryable } from './types.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Key ids of the bootstrap admin key's sessions start with this (no api_keys row to join). */
export const BOOTSTRAP_KEY_ID_PREFIX = 'bootstrap:';

export interface NewWebSession {
  /** Hex SHA-256 of the session id. */
  idHash: string;
  keyId: string;
  tier: Exclude<Tier, 'anonymous'>;
  expiresAt: Date;
}

export interface WebSessionRecord {
  keyId: string;
  tier: Exclude<Tier, 'anonymous'>;
  expiresAt: Date;
}

export async function createWebSession(db: Queryable, session: NewWebSession): Promise<void> {
  await db.query(sql`
    INSERT INTO web_sessions (id_hash, key_id, tier, expires_at)
    VALUES (${session.idHash}, ${session.keyId}, ${session.tier}, ${session.expiresAt.toISOString()}::timestamptz)`);
}

/**
 * The session with this id hash when it is still active at `now`: not expired, not revoked, and its
 * key (unless a bootstrap session) exists and is not revoked. Undefined otherwise.
 */
export async function findActiveWebSession(db: Queryable, idHash: string, now: Date): Promise<WebSessionRecord | undefined> {
  if (!SHA256_HEX.test(idHash)) return undefined;
  const rows = await db.query<WebSessionRecord>(sql`
    SELECT s.key_id AS "keyId", s.tier, s.expires_at AS "expiresAt"
    FROM web_sessions s
    LEFT JOIN api_keys k ON k.id::text = s.key_id
    WHERE s.id_hash = ${idHash}
      AND s.revoked_at IS NULL
      AND s.expires_at > ${now.toISOString()}::timestamptz
      AND (starts_with(s.key_id, ${BOOTSTRAP_KEY_ID_PREFIX}) OR (k.id IS NOT NULL AND k.revoked_at IS NULL))`);
  return rows[0];
}

/** Revokes one session (sign out). Revoking again changes nothing. */
export async function revokeWebSession(db: Queryable, idHash: string): Promise<void> {
  if (!SHA256_HEX.test(idHash)) return;
  await db.query(sql`UPDATE web_sessions SET revoked_at = coalesce(revoked_at, now()) WHERE id_hash = ${idHash}`);
}

/** Largest batch one sweep statement deletes (RETENTION_BATCH_SIZE's bound). */
export const MAX_WEB_SESSION_SWEEP = 10_000;

/**
 * Deletes up to `limit` sessions that can never be used again: expired (by the database's clock) or
 * revoked (signed out, or their key revoked). Their cookies are refused either way; the rows only
 * take room. `FOR UPDATE SKIP LOCKED`: a row another transaction holds is left for the next run.
 * Resolves with how many were deleted: fewer than `limit` means none is left.
 */
export async function deleteEndedWebSessions(db: Queryable, limit: number): Promise<number> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_WEB_SESSION_SWEEP) {
    throw new RangeError(`batch size must be an integer from 1 to ${String(MAX_WEB_SESSION_SWEEP)}, got ${String(limit)}`);
  }
  // No ORDER BY: any ended row will do, and the scan stops at the batch's last one.
  const [row] = await db.query<{ deleted: number }>(sql`
    WITH batch AS (
      SELECT id_hash FROM web_sessions
      WHERE expires_at <= now() OR revoked_at IS NOT NULL
      LIMIT ${limit}::int
      FOR UPDATE SKIP LOCKED
    ), deleted AS (
      DELETE FROM web_sessions WHERE id_hash IN (SELECT id_hash FROM batch) RETURNING 1
    )
    SELECT count(*)::int AS deleted FROM deleted`);
  return row?.deleted ?? 0;
}

/** Revokes every session of a key (the key was revoked, or "sign out everywhere"); returns how many. */
export async function revokeWebSessionsOfKey(db: Queryable, keyId: string): Promise<number> {
  const rows = await db.query<{ n: number }>(sql`
    WITH revoked AS (
      UPDATE web_sessions SET revoked_at = now() WHERE key_id = ${keyId} AND revoked_at IS NULL RETURNING 1
    ) SELECT count(*)::int AS n FROM revoked`);
  return rows[0]?.n ?? 0;
}
