// Storing harvested signals: one multi-row INSERT … ON CONFLICT per batch, so a harvest of
// thousands of items is a handful of round trips. A re-harvested item refreshes what its source
// reports (title, text, engagement, scores) and never touches what we decided about it (status,
// notified_at, curated tags) nor when we first saw it (fetched_at).
import { SIGNAL_FIELD_LIST, type NewSignal } from '../model/signal.js';
import { COLUMN_TYPES, WRITTEN_FIELDS } from './signal-columns.js';
import { STALE_GROUP_MENTIONS } from './signal-scores-repo.js';
import type { UpsertResult } from './signals-types.js';
import { raw, sql, type Sql } from './sql.js';
import type { Queryable } from './types.js';

/**
 * Rows per statement. The rows travel as one JSON parameter (not 18 parameters a row), so the
 * statement has no parameter limit; 500 keeps a statement's transaction short.
 */
export const UPSERT_BATCH_SIZE = 500;

/**
 * What an absent value of the document becomes: an optional field the table's default, a
 * non-null one the empty value of its type.
 */
const ABSENT: Partial<Record<keyof NewSignal, string>> = {
  fetchedAt: 'now()',
  status: "'active'",
  engagement: "'{}'::jsonb",
  tags: "'{}'::text[]",
  scoreDetails: "'{}'::jsonb",
};

/** On conflict, each field as its `rewrite` says (lib/model/signal.ts SIGNAL_FIELDS). */
function rewritten(field: (typeof SIGNAL_FIELD_LIST)[number]): string | undefined {
  const column = field.snake;
  switch (field.spec.rewrite) {
    case 'replace':
      return `${column} = EXCLUDED.${column}`;
    case 'fill':
      return `${column} = coalesce(EXCLUDED.${column}, signals.${column})`;
    case 'now':
      return `${column} = now()`;
    case 'keep':
      return undefined;
  }
}

/**
 * The statement without its rows: the written columns, read from a JSON array parameter that
 * jsonb_to_recordset expands into typed columns. Measured against a multi-row VALUES list of 9,000
 * parameters per 500 rows: ~20 % less time per batch (one parameter to bind and send instead of
 * thousands). The array is the NewSignals as they are, with no per-row mapping: the recordset
 * names its columns after the fields (camelCase, quoted); an absent field reads as null, and a key
 * that is no written field is ignored.
 */
function insertParts(): StatementParts {
  return {
    columns: raw(WRITTEN_FIELDS.map((field) => field.snake).join(', ')),
    values: raw(
      WRITTEN_FIELDS.map((field) => {
        const absent = ABSENT[field.name as keyof NewSignal];
        return absent === undefined ? `r."${field.name}"` : `coalesce(r."${field.name}", ${absent})`;
      }).join(', '),
    ),
    recordset: raw(WRITTEN_FIELDS.map((field) => `"${field.name}" ${COLUMN_TYPES[field.spec.type]}`).join(', ')),
    onConflict: raw(SIGNAL_FIELD_LIST.flatMap((field) => rewritten(field) ?? []).join(',\n    ')),
  };
}

/**
 * The rank of a score given as of now (a row stored without one: tests, imports), with a half-life
 * of `halfLifeDays`: log2(score) + now/H (lib/model/rank.ts; 1e-12 keeps log() defined).
 */
function rankNow(score: string, halfLifeDays: number): string {
  return `(ln(greatest(${score}, 1e-12)) / ln(2) + extract(epoch FROM now()) / ${String(86_400 * halfLifeDays)})`;
}

/**
 * The decay keys (lib/model/signal.ts SignalRanks), columns of their own next to the fields: as
 * scoring computed them, else derived from the scores given; a re-harvest replaces the feed's and
 * fills the discovery one like the discovery score.
 */
function rankParts(): StatementParts {
  return {
    columns: raw('rank, discovery_rank'),
    values: raw(
      `coalesce(r."rank", ${rankNow('coalesce(r."discoveryScore", r."salience", 0)', 1)}), ` +
        `coalesce(r."discoveryRank", CASE WHEN r."discoveryScore" IS NULL THEN NULL ELSE ${rankNow('r."discoveryScore"', 7)} END)`,
    ),
    recordset: raw('"rank" double precision, "discoveryRank" double precision'),
    onConflict: raw('rank = EXCLUDED.rank,\n    discovery_rank = coalesce(EXCLUDED.discovery_rank, signals.discovery_rank)'),
  };
}

interface StatementParts {
  columns: Sql;
  values: Sql;
  recordset: Sql;
  onConflict: Sql;
}

/**
 * Both parts, built on first use rather than at import: the functions that only read (the web
 * pages) import this module through signals-repo, and so neither compute the parts at a cold
 * start nor carry their code (esbuild drops an unused function, not a module-level call).
 */
let parts: { insert: StatementParts; ranks: StatementParts } | undefined;

function statementParts(): { insert: StatementParts; ranks: StatementParts } {
  parts ??= { insert: insertParts(), ranks: rankParts() };
  return parts;
}

/**
 * The entity mentions the source reported (lib/model/signal.ts SignalEntityMentions), for the
 * graph-build job; a re-harvest replaces them with what the source says now.
 */
const MENTIONS = {
  column: raw('entity_mentions'),
  value: raw('r."entities"'),
  recordset: raw('"entities" jsonb'),
  onConflict: raw('entity_mentions = EXCLUDED.entity_mentions'),
};

/**
 * Keeps a row whose link no other source's stored signal has, or its own source's has (a re-harvest):
 * one signal per thing across sources. Two index probes per row on signals_url_idx, inside the
 * upsert: a separate look-up before each batch waited for a connection of the pool's two, both
 * busy with the previous batches' upserts, and left one idle while the batch was classified.
 */
const OWN_LINKS_ONLY = raw(`WHERE NOT EXISTS (SELECT 1 FROM signals o WHERE o.url = r.url AND o.source <> r.source)
       OR EXISTS (SELECT 1 FROM signals o WHERE o.url = r.url AND o.source = r.source)`);

function upsertStatement(rows: readonly NewSignal[], ownLinksOnly: boolean): Sql {
  const { insert: INSERT, ranks: RANKS } = statementParts();
  return sql`
    INSERT INTO signals (${INSERT.columns}, ${RANKS.columns}, ${MENTIONS.column})
    SELECT ${INSERT.values}, ${RANKS.values}, ${MENTIONS.value}
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(${INSERT.recordset}, ${RANKS.recordset}, ${MENTIONS.recordset})
    ${ownLinksOnly ? OWN_LINKS_ONLY : raw('')}
    ON CONFLICT (source, source_id) DO UPDATE SET
    ${INSERT.onConflict},
    ${RANKS.onConflict},
    ${MENTIONS.onConflict}
    RETURNING (xmax = 0) AS inserted, id, source, source_id,
      ${raw(STALE_GROUP_MENTIONS)} AS stale`;
}

/**
 * The last row for each (source, source_id): one statement may not update the same row twice
 * ("ON CONFLICT DO UPDATE command cannot affect row a second time").
 */
function lastOfEach(rows: readonly NewSignal[]): NewSignal[] {
  const byKey = new Map<string, NewSignal>();
  for (const row of rows) byKey.set(`${row.source}\u0000${row.sourceId}`, row);
  return [...byKey.values()];
}

/** A stored row's id and unique key (what the graph needs to link it). */
export interface StoredSignalKey {
  id: string;
  source: string;
  sourceId: string;
}

/**
 * Inserts new signals and refreshes known ones, in batches of UPSERT_BATCH_SIZE. A repeated
 * (source, sourceId) in `rows` counts once, with its last occurrence stored. Batches are not one
 * transaction: each commits on its own, and running the same rows again is harmless.
 */
export async function upsertSignals(db: Queryable, rows: readonly NewSignal[]): Promise<UpsertResult> {
  return (await upsertSignalsWithIds(db, rows)).result;
}

/** upsertSignals, also giving each stored row's id (from the same statement's RETURNING). */
export async function upsertSignalsWithIds(db: Queryable, rows: readonly NewSignal[]): Promise<{ result: UpsertResult; stored: StoredSignalKey[] }> {
  const unique = lastOfEach(rows);
  const result: UpsertResult = { inserted: 0, updated: 0 };
  const stored: StoredSignalKey[] = [];
  for (let start = 0; start < unique.length; start += UPSERT_BATCH_SIZE) {
    const returned = await db.query<{ inserted: boolean } & StoredSignalKey>(sql`
      WITH written AS (${upsertStatement(unique.slice(start, start + UPSERT_BATCH_SIZE), false)})
      SELECT inserted, id::text AS id, source, source_id AS "sourceId" FROM written`);
    for (const { inserted, id, source, sourceId } of returned) {
      if (inserted) result.inserted++;
      else result.updated++;
      stored.push({ id, source, sourceId });
    }
  }
  return { result, stored };
}

/** What the harvest's upsert did. */
export interface HarvestUpsertResult extends UpsertResult {
  /** Rows skipped because another source's stored signal has their link (OWN_LINKS_ONLY). */
  knownElsewhere: number;
  /**
   * Artifacts written with a score that does not count their duplicate group as stored (a
   * re-harvest is scored without reading it): lib/harvest/rescore.ts rescores them.
   */
  ungrouped: string[];
}

/**
 * The harvest's upsert: upsertSignals, skipping rows whose link another source has, with one
 * summary row back per batch (counts and the stale artifacts' ids) instead of a row per signal.
 */
export async function upsertHarvested(db: Queryable, rows: readonly NewSignal[]): Promise<HarvestUpsertResult> {
  const unique = lastOfEach(rows);
  const result: HarvestUpsertResult = { inserted: 0, updated: 0, knownElsewhere: 0, ungrouped: [] };
  for (let start = 0; start < unique.length; start += UPSERT_BATCH_SIZE) {
    const batch = unique.slice(start, start + UPSERT_BATCH_SIZE);
    const [summary] = await db.query<{ inserted: number; written: number; ungrouped: string[] }>(sql`
      WITH written AS (${upsertStatement(batch, true)})
      SELECT (count(*) FILTER (WHERE inserted))::int AS inserted, count(*)::int AS written,
             coalesce(array_agg(id::text) FILTER (WHERE stale), '{}') AS ungrouped
      FROM written`);
    const written = summary?.written ?? 0;
    result.inserted += summary?.inserted ?? 0;
    result.updated += written - (summary?.inserted ?? 0);
    result.knownElsewhere += batch.length - written;
    result.ungrouped.push(...(summary?.ungrouped ?? []));
  }
  return result;
}
