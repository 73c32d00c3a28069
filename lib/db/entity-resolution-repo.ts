// The statements entity resolution runs per ingest batch: a fixed handful whatever the batch size
// (look-ups by array parameter, writes as one JSON recordset each), so resolving the entities of
// 500 signals costs about as many round trips as resolving one.
import type { EntityKind, EntityRole, MergeStatus } from '../model/entity.js';
import type { SourceName } from '../model/sources.js';
import { sql } from './sql.js';
import type { Queryable } from './types.js';

export interface AccountKey {
  source: SourceName;
  handleKey: string;
}

/** Stored account aliases by `source:handle_key`: their id and current entity. */
export async function accountAliases(db: Queryable, keys: readonly AccountKey[]): Promise<Map<string, { aliasId: string; entityId: string }>> {
  if (keys.length === 0) return new Map();
  const rows = await db.query<{ source: string; handleKey: string; aliasId: string; entityId: string }>(sql`
    SELECT a.source, a.handle_key AS "handleKey", a.id::text AS "aliasId", a.entity_id::text AS "entityId"
    FROM jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) AS k(source text, "handleKey" text)
    JOIN entity_aliases a ON a.source = k.source AND a.handle_key = k."handleKey"`);
  return new Map(rows.map((row) => [`${row.source}:${row.handleKey}`, { aliasId: row.aliasId, entityId: row.entityId }]));
}

export interface CandidateProbe {
  kind: EntityKind;
  keys: readonly string[];
}

/** Most candidate entities compared per new alias (the newest sharing a name key). */
export const MAX_CANDIDATES = 10;

/** Most aliases one batch's candidate search reads (the newest sharing a name key). */
export const MAX_CANDIDATE_ALIASES = 5000;

/**
 * For each probe (by index), the newest current entities of its kind with an alias sharing a name
 * key. One scan for the whole batch (every probe's keys at once), matched to the probes here: a
 * join per probe let the planner, misled on young tables, scan every entity once per probe.
 */
export async function candidateEntities(db: Queryable, probes: readonly CandidateProbe[]): Promise<Map<number, string[]>> {
  const result = new Map<number, string[]>();
  const allKeys = [...new Set(probes.flatMap((probe) => probe.keys))];
  if (allKeys.length === 0) return result;
  const rows = await db.query<{ entityId: string; kind: EntityKind; blockKeys: string[] }>(sql`
    SELECT a.entity_id::text AS "entityId", e.kind, a.block_keys AS "blockKeys"
    FROM (SELECT entity_id, block_keys FROM entity_aliases WHERE block_keys && ${allKeys}::text[] ORDER BY id DESC LIMIT ${MAX_CANDIDATE_ALIASES}) a
    JOIN entities e ON e.id = a.entity_id
    WHERE e.merged_into IS NULL`);
  const byKey = new Map<string, Array<{ entityId: string; kind: EntityKind }>>();
  for (const row of rows) {
    for (const key of row.blockKeys) {
      const hits = byKey.get(key);
      if (hits === undefined) byKey.set(key, [row]);
      else hits.push(row);
    }
  }
  probes.forEach((probe, index) => {
    const ids = new Set<string>();
    for (const key of probe.keys) for (const hit of byKey.get(key) ?? []) if (hit.kind === probe.kind) ids.add(hit.entityId);
    const newest = [...ids].sort((a, b) => (a.length === b.length ? (a < b ? 1 : -1) : b.length - a.length)).slice(0, MAX_CANDIDATES);
    if (newest.length > 0) result.set(index, newest);
  });
  return result;
}

export interface StoredAliasProfile {
  entityId: string;
  kind: EntityKind;
  source: SourceName;
  handle: string;
  handleKey: string | null;
  name: string | null;
  url: string | null;
  affiliation: string | null;
  linked: string[];
  blockKeys: string[];
}

/** Signals per alias read for an entity's context (its co-authors, repositories): the newest. */
const CONTEXT_SIGNALS = 20;

/** The aliases of these entities, and what their signals also name (mention keys), by entity. */
export async function entityProfiles(db: Queryable, entityIds: readonly string[]): Promise<{ aliases: StoredAliasProfile[]; context: Map<string, string[]> }> {
  if (entityIds.length === 0) return { aliases: [], context: new Map() };
  const aliases = await db.query<StoredAliasProfile>(sql`
    SELECT a.entity_id::text AS "entityId", e.kind, a.source, a.handle, a.handle_key AS "handleKey", a.name, a.url,
           a.affiliation, a.linked, a.block_keys AS "blockKeys"
    FROM entity_aliases a JOIN entities e ON e.id = a.entity_id
    WHERE a.entity_id = ANY(${entityIds}::bigint[])`);
  // Two plain look-ups, each at worst one scan whatever the planner thinks of young tables (a
  // lateral join here was planned as a scan per alias).
  const mentions = await db.query<{ entityId: string; signalId: string }>(sql`
    SELECT a.entity_id::text AS "entityId", s.signal_id::text AS "signalId"
    FROM entity_aliases a JOIN entity_signals s ON s.alias_id = a.id
    WHERE a.entity_id = ANY(${entityIds}::bigint[])`);
  const signalsOf = new Map<string, string[]>();
  for (const row of mentions) signalsOf.set(row.entityId, [...(signalsOf.get(row.entityId) ?? []), row.signalId]);
  const newest = new Map([...signalsOf].map(([entityId, ids]) => [entityId, ids.sort((a, b) => (a.length === b.length ? (a < b ? 1 : -1) : b.length - a.length)).slice(0, CONTEXT_SIGNALS)]));
  const signalIds = [...new Set([...newest.values()].flat())];
  const named = signalIds.length === 0
    ? []
    : await db.query<{ signalId: string; mentionKey: string; aliasEntityId: string }>(sql`
        SELECT m.signal_id::text AS "signalId", m.mention_key AS "mentionKey", a.entity_id::text AS "aliasEntityId"
        FROM entity_signals m JOIN entity_aliases a ON a.id = m.alias_id
        WHERE m.signal_id = ANY(${signalIds}::bigint[]) AND m.role <> 'affiliation'`);
  const bySignal = new Map<string, Array<{ mentionKey: string; aliasEntityId: string }>>();
  for (const row of named) bySignal.set(row.signalId, [...(bySignal.get(row.signalId) ?? []), row]);
  const context = new Map<string, string[]>();
  for (const [entityId, ids] of newest) {
    // What the entity's signals name besides the entity itself.
    const keys = new Set(ids.flatMap((id) => (bySignal.get(id) ?? []).filter((row) => row.aliasEntityId !== entityId).map((row) => row.mentionKey)));
    context.set(entityId, [...keys]);
  }
  return { aliases, context };
}

/** `count` new entity ids and as many alias ids, reserved from their sequences. */
export async function reserveIds(db: Queryable, count: number): Promise<Array<{ entityId: string; aliasId: string }>> {
  if (count === 0) return [];
  return db.query<{ entityId: string; aliasId: string }>(sql`
    SELECT nextval(pg_get_serial_sequence('entities', 'id'))::text AS "entityId",
           nextval(pg_get_serial_sequence('entity_aliases', 'id'))::text AS "aliasId"
    FROM generate_series(1, ${count}::int)`);
}

export interface NewEntityRow {
  id: string;
  kind: EntityKind;
  name: string;
  mergedInto: string | null;
}

/** An alias to store: a stored alias's profile (its entity's kind aside) with its id and first entity. */
export interface NewAliasRow extends Omit<StoredAliasProfile, 'kind'> {
  id: string;
  originEntityId: string;
}

export interface NewMergeRow {
  entityId: string;
  intoEntityId: string;
  score: number;
  evidence: Record<string, unknown>;
  status: Extract<MergeStatus, 'pending' | 'accepted'>;
  decidedBy: 'auto' | null;
  movedAliasIds: string[];
}

export interface NewMentionRow {
  signalId: string;
  role: EntityRole;
  mentionKey: string;
  aliasId: string;
  confidence: number;
  /** For an account alias: its source and handle_key, so a concurrent writer's alias for it wins. */
  account: AccountKey | null;
}

/**
 * Writes one batch's resolution in one statement: entities, aliases, merges, then mentions (the
 * foreign keys are checked at the statement's end, so rows may point at rows written beside them).
 * An account alias another writer stored meanwhile is kept, and the mentions join to it.
 */
export async function writeResolution(
  db: Queryable,
  batch: { entities: readonly NewEntityRow[]; aliases: readonly NewAliasRow[]; merges: readonly NewMergeRow[]; mentions: readonly NewMentionRow[] },
): Promise<void> {
  if (batch.entities.length === 0 && batch.mentions.length === 0) return;
  await db.query(sql`
    WITH new_entities AS (
      INSERT INTO entities (id, kind, name, merged_into)
      SELECT r.id::bigint, r.kind, left(r.name, 300), r."mergedInto"::bigint
      FROM jsonb_to_recordset(${JSON.stringify(batch.entities)}::jsonb) AS r(id text, kind text, name text, "mergedInto" text)
      RETURNING id
    ), new_aliases AS (
      INSERT INTO entity_aliases (id, entity_id, origin_entity_id, source, handle, handle_key, name, url, affiliation, linked, block_keys)
      SELECT r.id::bigint, r."entityId"::bigint, r."originEntityId"::bigint, r.source, left(r.handle, 300), left(r."handleKey", 300),
             left(r.name, 300), CASE WHEN length(r.url) <= 2000 THEN r.url END, left(r.affiliation, 300), r.linked, r."blockKeys"
      FROM jsonb_to_recordset(${JSON.stringify(batch.aliases)}::jsonb)
        AS r(id text, "entityId" text, "originEntityId" text, source text, handle text, "handleKey" text, name text, url text,
             affiliation text, linked text[], "blockKeys" text[])
      ON CONFLICT DO NOTHING
      RETURNING id
    ), new_merges AS (
      INSERT INTO entity_merge_candidates (entity_id, into_entity_id, score, evidence, status, decided_by, moved_alias_ids, decided_at,
                                           merged_entity_id, merged_into_entity_id)
      SELECT r."entityId"::bigint, r."intoEntityId"::bigint, r.score, r.evidence, r.status, r."decidedBy", r."movedAliasIds",
             CASE WHEN r.status = 'accepted' THEN now() END,
             CASE WHEN r.status = 'accepted' THEN r."entityId"::bigint END, CASE WHEN r.status = 'accepted' THEN r."intoEntityId"::bigint END
      FROM jsonb_to_recordset(${JSON.stringify(batch.merges)}::jsonb)
        AS r("entityId" text, "intoEntityId" text, score real, evidence jsonb, status text, "decidedBy" text, "movedAliasIds" bigint[])
      ON CONFLICT DO NOTHING
      RETURNING id
    )
    INSERT INTO entity_signals (signal_id, role, mention_key, alias_id, confidence)
    SELECT r."signalId"::bigint, r.role, left(r."mentionKey", 400), coalesce(a.id, r."aliasId"::bigint), r.confidence
    FROM jsonb_to_recordset(${JSON.stringify(batch.mentions)}::jsonb)
      AS r("signalId" text, role text, "mentionKey" text, "aliasId" text, confidence real, account jsonb)
    LEFT JOIN entity_aliases a ON a.source = r.account->>'source' AND a.handle_key = r.account->>'handleKey'
    ON CONFLICT DO NOTHING`);
}

/** The mentions already recorded for each of `signalIds` (`role\0mentionKey`), in one round trip; none: absent. */
export async function recordedMentions(db: Queryable, signalIds: readonly string[]): Promise<Map<string, Set<string>>> {
  if (signalIds.length === 0) return new Map();
  const rows = await db.query<{ id: string; role: string; key: string }>(sql`
    SELECT signal_id::text AS id, role, mention_key AS key FROM entity_signals WHERE signal_id = ANY(${signalIds}::bigint[])`);
  const recorded = new Map<string, Set<string>>();
  for (const row of rows) {
    const keys = recorded.get(row.id) ?? new Set<string>();
    keys.add(`${row.role}\u0000${row.key}`);
    recorded.set(row.id, keys);
  }
  return recorded;
}
