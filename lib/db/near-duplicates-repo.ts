// Near-duplicates in the database (migration 0013): fingerprints and LSH band keys per signal,
// candidates found by band key within a time window, and duplicate groups on the signals
// themselves. Every statement takes a whole batch (one JSON parameter), and every write is
// idempotent: storing the same fingerprints or merging the same groups again changes no row.
import { sql } from './sql.js';
import type { Queryable } from './types.js';

/** One band key to look up, with the publication window of the items that carry it. */
export interface BandProbe {
  key: number;
  from: Date;
  to: Date;
}

/** A stored signal proposed by a shared band key. */
export interface StoredCandidate {
  id: string;
  source: string;
  sourceId: string;
  /** Its fingerprint's token hashes, ascending. */
  tokens: number[];
  publishedAt: Date;
}

/**
 * Stored signals sharing one of the probes' band keys, published within the probe's window: at most
 * `perKey` per key (the latest), so a flood of near-identical posts costs a bounded read.
 */
export async function findCandidates(db: Queryable, probes: readonly BandProbe[], perKey: number): Promise<StoredCandidate[]> {
  if (probes.length === 0) return [];
  // lsh_band_hits (migration 0016): the latest `perKey` of each key by walking the index backward.
  const keys = probes.map((probe) => probe.key);
  const from = probes.map((probe) => probe.from.getTime());
  const to = probes.map((probe) => probe.to.getTime());
  const rows = await db.query<StoredCandidate>(sql`
    SELECT s.id::text AS id, s.source, s.source_id AS "sourceId", f.tokens, f.published_at AS "publishedAt"
    FROM lsh_band_hits(${keys}::bigint[], ${from}::float8[], ${to}::float8[], ${perKey}) h
    JOIN signal_fingerprints f ON f.signal_id = h.signal_id
    JOIN signals s ON s.id = h.signal_id`);
  return rows.map((row) => ({ ...row, tokens: row.tokens.map(Number) }));
}

/** A stored signal's key. */
export interface SignalKey {
  source: string;
  sourceId: string;
}

/** The ids of stored signals by `source\u0000sourceId` (keys not stored are absent). */
export async function signalIdsByKey(db: Queryable, keys: readonly SignalKey[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (keys.length === 0) return ids;
  const rows = await db.query<SignalKey & { id: string }>(sql`
    SELECT s.id::text AS id, s.source, s.source_id AS "sourceId"
    FROM jsonb_to_recordset(${JSON.stringify(keys.map(({ source, sourceId }) => ({ source, sourceId })))}::jsonb)
      AS k(source text, "sourceId" text)
    JOIN signals s ON s.source = k.source AND s.source_id = k."sourceId"`);
  for (const row of rows) ids.set(`${row.source}\u0000${row.sourceId}`, row.id);
  return ids;
}

export interface StoredFingerprint {
  signalId: string;
  publishedAt: Date;
  /** Ascending, distinct, signed 32-bit. */
  tokens: readonly number[];
  bandKeys: readonly number[];
}

/**
 * Stores fingerprints (a changed text or date replaces the stored one) and, for those new or
 * changed, their band keys; an unchanged fingerprint writes nothing. An older text's keys stay,
 * harmless: they only propose candidates, compared on the current tokens. One statement: a
 * fingerprint stored for the first time (`xmax = 0`: inserted, not updated) belongs to a signal
 * with no band rows yet (ids are never reused, and a fingerprint goes only with its signal), so its
 * keys take a plain insert, in key order; only a changed fingerprint's keys, some of which may be
 * stored already, pay the conflict check (measured: ~40% of the band insert on the ingest bench).
 */
export async function storeFingerprints(db: Queryable, fingerprints: readonly StoredFingerprint[]): Promise<void> {
  if (fingerprints.length === 0) return;
  const rows = fingerprints.map(({ signalId, publishedAt, tokens, bandKeys }) => ({ signalId, publishedAt, tokens, bandKeys }));
  await db.query(sql`
    WITH r AS (
      SELECT r."signalId"::bigint AS signal_id, r.tokens, r."publishedAt" AS published_at, r."bandKeys" AS band_keys
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        AS r("signalId" text, tokens integer[], "publishedAt" timestamptz, "bandKeys" bigint[])
    ), written AS (
      INSERT INTO signal_fingerprints (signal_id, tokens, published_at)
      SELECT signal_id, tokens, published_at FROM r
      ON CONFLICT (signal_id) DO UPDATE SET tokens = EXCLUDED.tokens, published_at = EXCLUDED.published_at
      WHERE signal_fingerprints.tokens IS DISTINCT FROM EXCLUDED.tokens
         OR signal_fingerprints.published_at IS DISTINCT FROM EXCLUDED.published_at
      RETURNING signal_id, xmax = 0 AS fresh
    ), bands AS (
      SELECT k.key, r.published_at, r.signal_id, w.fresh
      FROM written w JOIN r ON r.signal_id = w.signal_id CROSS JOIN LATERAL unnest(r.band_keys) AS k(key)
    ), fresh AS (
      INSERT INTO signal_lsh_bands (band_key, published_at, signal_id)
      SELECT key, published_at, signal_id FROM bands WHERE fresh ORDER BY key
    )
    INSERT INTO signal_lsh_bands (band_key, published_at, signal_id)
    SELECT key, published_at, signal_id FROM bands WHERE NOT fresh
    ON CONFLICT DO NOTHING`);
}

/** The duplicate group of each of `ids` that has one (id → group id). */
export async function groupsOf(db: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  const groups = new Map<string, string>();
  if (ids.length === 0) return groups;
  const rows = await db.query<{ id: string; group: string }>(sql`
    SELECT id::text AS id, duplicate_group::text AS "group" FROM signals
    WHERE id = ANY(${[...new Set(ids)]}::bigint[]) AND duplicate_group IS NOT NULL`);
  for (const row of rows) groups.set(row.id, row.group);
  return groups;
}

/** A signal, or the root of a group, and the group it and (as a root) its members now belong to. */
export interface GroupMove {
  id: string;
  group: string;
}

/**
 * Relabels each moved signal, and every member of a group whose root is moved, with the move's
 * group, and sets mention_count to the number of distinct sources in each group it touched: one
 * statement, each changed signal written once (move_to_duplicate_groups, migration 0016). Rows
 * already right are not written. Returns how many signals changed group.
 */
export async function moveToGroups(db: Queryable, moves: readonly GroupMove[]): Promise<number> {
  if (moves.length === 0) return 0;
  const rows = await db.query<{ regrouped: number }>(sql`
    SELECT move_to_duplicate_groups(${JSON.stringify(moves.map(({ id, group }) => ({ id, group })))}::jsonb) AS regrouped`);
  return rows[0]?.regrouped ?? 0;
}

/** One report of a story, as a signal's `mentions` lists it. */
export interface Mention {
  id: string;
  source: string;
  url: string;
  title: string;
  publishedAt: Date;
}

/** The members of a duplicate group, earliest first, at most `limit`. */
export async function groupMembers(db: Queryable, group: string, limit: number): Promise<Mention[]> {
  return db.query<Mention>(sql`
    SELECT id::text AS id, source, url, title, published_at AS "publishedAt" FROM signals
    WHERE duplicate_group = ${group}::bigint
    ORDER BY published_at, id LIMIT ${limit}`);
}
