// Entities as the API reads them (search, one entity with its aliases and signals) and the merge
// queue as admins work it (list, accept, reject, undo). Outcomes the caller must map (not found,
// not pending, …) come back as values: the data layer throws no HTTP errors.
import type { EntityAlias, EntityKind, MergeCandidate, MergeStatus } from '../model/entity.js';
import type { SourceName } from '../model/sources.js';
import { empty, sql } from './sql.js';
import type { Db, Queryable } from './types.js';

export interface EntitySummary {
  id: string;
  kind: EntityKind;
  name: string;
  createdAt: Date;
  aliases: Array<{ source: SourceName; handle: string; url: string | null }>;
  signalCount: number;
}

/** Most aliases listed per entity in search results. */
const SUMMARY_ALIASES = 20;

/** Current (not merged) entities, newest first; `keys` all in one alias's name keys when given. */
export async function searchEntities(
  db: Queryable,
  options: { keys: readonly string[] | undefined; kind: EntityKind | undefined; limit: number; beforeId: string | undefined },
): Promise<{ items: EntitySummary[]; nextId: string | undefined }> {
  const rows = await db.query<{ id: string; kind: EntityKind; name: string; createdAt: Date }>(sql`
    SELECT e.id::text AS id, e.kind, e.name, e.created_at AS "createdAt"
    FROM entities e
    WHERE e.merged_into IS NULL
      ${options.keys === undefined ? empty : sql`AND e.id IN (SELECT a.entity_id FROM entity_aliases a WHERE a.block_keys @> ${options.keys}::text[])`}
      ${options.kind === undefined ? empty : sql`AND e.kind = ${options.kind}`}
      ${options.beforeId === undefined ? empty : sql`AND e.id < ${options.beforeId}::bigint`}
    ORDER BY e.id DESC
    LIMIT ${options.limit + 1}`);
  const page = rows.slice(0, options.limit);
  const ids = page.map((row) => row.id);
  const [aliases, counts] = await Promise.all([
    ids.length === 0
      ? Promise.resolve([])
      : db.query<{ entityId: string; source: SourceName; handle: string; url: string | null }>(sql`
          SELECT entity_id::text AS "entityId", source, handle, url FROM (
            SELECT a.*, row_number() OVER (PARTITION BY a.entity_id ORDER BY a.id) AS n FROM entity_aliases a WHERE a.entity_id = ANY(${ids}::bigint[])
          ) a WHERE n <= ${SUMMARY_ALIASES} ORDER BY a.id`),
    ids.length === 0
      ? Promise.resolve([])
      : db.query<{ entityId: string; count: number }>(sql`
          SELECT a.entity_id::text AS "entityId", count(DISTINCT s.signal_id)::int AS count
          FROM entity_aliases a JOIN entity_signals s ON s.alias_id = a.id
          WHERE a.entity_id = ANY(${ids}::bigint[]) GROUP BY a.entity_id`),
  ]);
  const countOf = new Map(counts.map((row) => [row.entityId, row.count]));
  const items = page.map((row) => ({
    ...row,
    aliases: aliases.filter((alias) => alias.entityId === row.id).map(({ source, handle, url }) => ({ source, handle, url })),
    signalCount: countOf.get(row.id) ?? 0,
  }));
  return { items, nextId: rows.length > options.limit ? page.at(-1)?.id : undefined };
}

export interface EntityDetail {
  id: string;
  kind: EntityKind;
  name: string;
  createdAt: Date;
  /** Set while merged: the entity it was merged into, and the current one at the end of the chain. */
  mergedInto: string | null;
  currentId: string;
}

/** Longest chain of merges followed to the current entity. */
const MAX_MERGE_CHAIN = 64;

export async function getEntity(db: Queryable, id: string): Promise<EntityDetail | undefined> {
  const [row] = await db.query<EntityDetail>(sql`
    WITH RECURSIVE chain(id, merged_into, depth) AS (
      SELECT id, merged_into, 0 FROM entities WHERE id = ${id}::bigint
      UNION ALL
      SELECT e.id, e.merged_into, c.depth + 1 FROM entities e JOIN chain c ON e.id = c.merged_into WHERE c.depth < ${MAX_MERGE_CHAIN}
    )
    SELECT e.id::text AS id, e.kind, e.name, e.created_at AS "createdAt", e.merged_into::text AS "mergedInto",
           (SELECT c.id::text FROM chain c ORDER BY c.depth DESC LIMIT 1) AS "currentId"
    FROM entities e WHERE e.id = ${id}::bigint`);
  return row;
}

/** An alias as the entity's page reads it: the model's alias and when it was recorded. */
export interface AliasDetail extends EntityAlias {
  createdAt: Date;
}

export async function entityAliases(db: Queryable, entityId: string): Promise<AliasDetail[]> {
  return db.query<AliasDetail>(sql`
    SELECT id::text AS id, source, handle, name, url, affiliation, origin_entity_id::text AS "originEntityId", created_at AS "createdAt"
    FROM entity_aliases WHERE entity_id = ${entityId}::bigint ORDER BY source, id`);
}

export interface EntitySignal {
  id: string;
  source: SourceName;
  kind: string;
  title: string;
  url: string;
  publishedAt: Date;
  roles: string[];
  /** The alias (source and handle) the signal names the entity by. */
  via: Array<{ source: SourceName; handle: string }>;
}

/** The signals naming an entity (through any of its aliases), newest signal id first. */
export async function entitySignals(db: Queryable, entityId: string, options: { limit: number; beforeId: string | undefined }): Promise<{ items: EntitySignal[]; nextId: string | undefined }> {
  const rows = await db.query<EntitySignal>(sql`
    SELECT s.id::text AS id, s.source, s.kind, s.title, s.url, s.published_at AS "publishedAt",
           array_agg(DISTINCT m.role) AS roles,
           jsonb_agg(DISTINCT jsonb_build_object('source', a.source, 'handle', a.handle)) AS via
    FROM entity_aliases a
    JOIN entity_signals m ON m.alias_id = a.id
    JOIN signals s ON s.id = m.signal_id
    WHERE a.entity_id = ${entityId}::bigint
      ${options.beforeId === undefined ? empty : sql`AND m.signal_id < ${options.beforeId}::bigint`}
    GROUP BY s.id
    ORDER BY s.id DESC
    LIMIT ${options.limit + 1}`);
  const items = rows.slice(0, options.limit);
  return { items, nextId: rows.length > options.limit ? items.at(-1)?.id : undefined };
}

export interface CandidateRow extends MergeCandidate {
  entityName: string;
  intoEntityName: string;
  undoneAt: Date | null;
}

const CANDIDATE_COLUMNS = sql`
  c.id::text AS id, c.entity_id::text AS "entityId", c.into_entity_id::text AS "intoEntityId", c.score, c.evidence, c.status,
  c.decided_by AS "decidedBy", c.created_at AS "createdAt", c.decided_at AS "decidedAt", c.undone_at AS "undoneAt",
  f.name AS "entityName", t.name AS "intoEntityName"`;

export async function listMergeCandidates(db: Queryable, options: { status: MergeStatus; limit: number; beforeId: string | undefined }): Promise<{ items: CandidateRow[]; nextId: string | undefined }> {
  const rows = await db.query<CandidateRow>(sql`
    SELECT ${CANDIDATE_COLUMNS}
    FROM entity_merge_candidates c JOIN entities f ON f.id = c.entity_id JOIN entities t ON t.id = c.into_entity_id
    WHERE c.status = ${options.status}
      ${options.beforeId === undefined ? empty : sql`AND c.id < ${options.beforeId}::bigint`}
    ORDER BY c.id DESC
    LIMIT ${options.limit + 1}`);
  const items = rows.slice(0, options.limit);
  return { items, nextId: rows.length > options.limit ? items.at(-1)?.id : undefined };
}

async function candidate(db: Queryable, id: string, lock: boolean): Promise<(CandidateRow & { mergedEntityId: string | null; mergedIntoEntityId: string | null; movedAliasIds: string[] }) | undefined> {
  const [row] = await db.query<CandidateRow & { mergedEntityId: string | null; mergedIntoEntityId: string | null; movedAliasIds: string[] }>(sql`
    SELECT ${CANDIDATE_COLUMNS}, c.merged_entity_id::text AS "mergedEntityId", c.merged_into_entity_id::text AS "mergedIntoEntityId",
           c.moved_alias_ids::text[] AS "movedAliasIds"
    FROM entity_merge_candidates c JOIN entities f ON f.id = c.entity_id JOIN entities t ON t.id = c.into_entity_id
    WHERE c.id = ${id}::bigint
    ${lock ? sql`FOR UPDATE OF c` : empty}`);
  return row;
}

export async function getMergeCandidate(db: Queryable, id: string): Promise<CandidateRow | undefined> {
  return candidate(db, id, false);
}

/** The current entity of `id`: the end of its chain of merges. */
async function currentOf(db: Queryable, id: string): Promise<string> {
  const detail = await getEntity(db, id);
  return detail?.currentId ?? id;
}

export type DecisionOutcome =
  | { outcome: 'ok'; candidate: CandidateRow }
  | { outcome: 'not_found' }
  | { outcome: 'not_pending'; status: MergeStatus }
  | { outcome: 'same_entity'; entityId: string };

/**
 * Accepts or rejects a pending candidate. Accepting merges the pair's current entities (either may
 * have been merged since it was queued): the merged one's aliases move to the other, it records
 * merged_into, and the row keeps the moved aliases so the merge can be undone.
 */
export async function decideMergeCandidate(db: Db, id: string, decision: 'accept' | 'reject'): Promise<DecisionOutcome> {
  return db.transaction(async (tx) => {
    const row = await candidate(tx, id, true);
    if (row === undefined) return { outcome: 'not_found' };
    if (row.status !== 'pending') return { outcome: 'not_pending', status: row.status };
    if (decision === 'reject') {
      await tx.query(sql`UPDATE entity_merge_candidates SET status = 'rejected', decided_by = 'admin', decided_at = now() WHERE id = ${id}::bigint`);
    } else {
      const from = await currentOf(tx, row.entityId);
      const into = await currentOf(tx, row.intoEntityId);
      if (from === into) return { outcome: 'same_entity', entityId: into };
      // Both current entities locked, lower id first (two admins merging crosswise never deadlock).
      await tx.query(sql`SELECT id FROM entities WHERE id = ANY(${[from, into]}::bigint[]) ORDER BY id FOR UPDATE`);
      const moved = await tx.query<{ id: string }>(sql`
        UPDATE entity_aliases SET entity_id = ${into}::bigint WHERE entity_id = ${from}::bigint RETURNING id::text AS id`);
      await tx.query(sql`UPDATE entities SET merged_into = ${into}::bigint WHERE id = ${from}::bigint`);
      await tx.query(sql`
        UPDATE entity_merge_candidates
        SET status = 'accepted', decided_by = 'admin', decided_at = now(), merged_entity_id = ${from}::bigint,
            merged_into_entity_id = ${into}::bigint, moved_alias_ids = ${moved.map((alias) => alias.id)}::bigint[]
        WHERE id = ${id}::bigint`);
    }
    const updated = await candidate(tx, id, false);
    if (updated === undefined) return { outcome: 'not_found' };
    return { outcome: 'ok', candidate: updated };
  });
}

export type UndoOutcome =
  | { outcome: 'ok'; candidate: CandidateRow }
  | { outcome: 'not_found' }
  | { outcome: 'not_accepted'; status: MergeStatus }
  /** The merged-into entity was itself merged since: undo that merge first. */
  | { outcome: 'merged_since'; entityId: string };

/** Undoes an accepted merge: the moved aliases go back, the merged entity is current again. */
export async function undoMerge(db: Db, id: string): Promise<UndoOutcome> {
  return db.transaction(async (tx) => {
    const row = await candidate(tx, id, true);
    if (row === undefined) return { outcome: 'not_found' };
    if (row.status !== 'accepted' || row.mergedEntityId === null || row.mergedIntoEntityId === null) return { outcome: 'not_accepted', status: row.status };
    const from = row.mergedEntityId;
    const into = row.mergedIntoEntityId;
    const entities = await tx.query<{ id: string; mergedInto: string | null }>(sql`
      SELECT id::text AS id, merged_into::text AS "mergedInto" FROM entities WHERE id = ANY(${[from, into]}::bigint[]) ORDER BY id FOR UPDATE`);
    const target = entities.find((entity) => entity.id === into);
    if (target?.mergedInto !== null && target?.mergedInto !== undefined) return { outcome: 'merged_since', entityId: target.mergedInto };
    await tx.query(sql`
      UPDATE entity_aliases SET entity_id = ${from}::bigint WHERE id = ANY(${row.movedAliasIds}::bigint[]) AND entity_id = ${into}::bigint`);
    await tx.query(sql`UPDATE entities SET merged_into = NULL WHERE id = ${from}::bigint`);
    await tx.query(sql`UPDATE entity_merge_candidates SET status = 'undone', undone_at = now() WHERE id = ${id}::bigint`);
    const updated = await candidate(tx, id, false);
    if (updated === undefined) return { outcome: 'not_found' };
    return { outcome: 'ok', candidate: updated };
  });
}
