// Storing harvested signals: one multi-row INSERT … ON CONFLICT per batch, so a harvest of
// thousands of items is a handful of round trips. A re-harvested item refreshes what its source
// reports (title, text, engagement, scores) and never touches what we decided about it (status,
// notified_at, curated tags) nor when we first saw it (fetched_at).
import type { NewSignal, UpsertResult } from './signal-model.js';
import { sql, type Sql } from './sql.js';
import type { Queryable } from './types.js';

/**
 * Rows per statement. The rows travel as one JSON parameter (not 18 parameters a row), so the
 * statement has no parameter limit; 500 keeps a statement's transaction short.
 */
export const UPSERT_BATCH_SIZE = 500;

/**
 * On conflict: what the source says now replaces what it said before; an enrichment that is null
 * this time (not computed on this run) keeps the earlier value rather than erasing it.
 */
const ON_CONFLICT = sql`
  ON CONFLICT (source, source_id) DO UPDATE SET
    kind            = EXCLUDED.kind,
    url             = EXCLUDED.url,
    title           = EXCLUDED.title,
    text            = EXCLUDED.text,
    author          = coalesce(EXCLUDED.author, signals.author),
    published_at    = EXCLUDED.published_at,
    engagement      = EXCLUDED.engagement,
    category        = coalesce(EXCLUDED.category, signals.category),
    sentiment       = coalesce(EXCLUDED.sentiment, signals.sentiment),
    urgency         = coalesce(EXCLUDED.urgency, signals.urgency),
    salience        = coalesce(EXCLUDED.salience, signals.salience),
    discovery_score = coalesce(EXCLUDED.discovery_score, signals.discovery_score),
    score_details   = EXCLUDED.score_details,
    updated_at      = now()`;

/** One row of the JSON document, keyed by column; absent fetched_at/status take the table's defaults. */
function documentRow(row: NewSignal): Record<string, unknown> {
  return {
    source: row.source,
    source_id: row.sourceId,
    kind: row.kind,
    url: row.url,
    title: row.title,
    text: row.text,
    author: row.author,
    published_at: row.publishedAt,
    fetched_at: row.fetchedAt,
    engagement: row.engagement,
    category: row.category,
    sentiment: row.sentiment,
    urgency: row.urgency,
    tags: row.tags,
    salience: row.salience,
    discovery_score: row.discoveryScore,
    score_details: row.scoreDetails,
    status: row.status,
  };
}

/**
 * One statement for a batch: the rows as a JSON array parameter, expanded by jsonb_to_recordset
 * into typed columns. Measured against a multi-row VALUES list of 9,000 parameters per 500 rows:
 * ~20 % less time per batch (one parameter to bind and send instead of thousands).
 */
function upsertStatement(rows: readonly NewSignal[]): Sql {
  return sql`
    INSERT INTO signals (
      source, source_id, kind, url, title, text, author, published_at, fetched_at, engagement, category,
      sentiment, urgency, tags, salience, discovery_score, score_details, status)
    SELECT
      r.source, r.source_id, r.kind, r.url, r.title, r.text, r.author, r.published_at,
      coalesce(r.fetched_at, now()), coalesce(r.engagement, '{}'::jsonb), r.category, r.sentiment, r.urgency,
      coalesce(r.tags, '{}'::text[]), r.salience, r.discovery_score, coalesce(r.score_details, '{}'::jsonb),
      coalesce(r.status, 'active')
    FROM jsonb_to_recordset(${JSON.stringify(rows.map(documentRow))}::jsonb) AS r(
      source text, source_id text, kind text, url text, title text, text text, author text,
      published_at timestamptz, fetched_at timestamptz, engagement jsonb, category text, sentiment text,
      urgency smallint, tags text[], salience double precision, discovery_score double precision,
      score_details jsonb, status text)
    ${ON_CONFLICT}
    RETURNING (xmax = 0) AS inserted`;
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

/**
 * Inserts new signals and refreshes known ones, in batches of UPSERT_BATCH_SIZE. A repeated
 * (source, sourceId) in `rows` counts once, with its last occurrence stored. Batches are not one
 * transaction: each commits on its own, and running the same rows again is harmless.
 */
export async function upsertSignals(db: Queryable, rows: readonly NewSignal[]): Promise<UpsertResult> {
  const unique = lastOfEach(rows);
  const result: UpsertResult = { inserted: 0, updated: 0 };
  for (let start = 0; start < unique.length; start += UPSERT_BATCH_SIZE) {
    const returned = await db.query<{ inserted: boolean }>(upsertStatement(unique.slice(start, start + UPSERT_BATCH_SIZE)));
    for (const { inserted } of returned) {
      if (inserted) result.inserted++;
      else result.updated++;
    }
  }
  return result;
}
