// Storing harvested signals: one multi-row INSERT … ON CONFLICT per batch, so a harvest of
// thousands of items is a handful of round trips. A re-harvested item refreshes what its source
// reports (title, text, engagement, scores) and never touches what we decided about it (status,
// notified_at, curated tags) nor when we first saw it (fetched_at).
import type { NewSignal, UpsertResult } from './signal-model.js';
import { bulk, raw, sql, type Sql } from './sql.js';
import type { Queryable } from './types.js';

/** Rows per statement: 500 × 20 parameters stays far below Postgres's 65,535 per statement. */
export const UPSERT_BATCH_SIZE = 500;

/** Lets the schema's default apply to one cell of a multi-row VALUES list. */
const DEFAULT = raw('DEFAULT');

const INSERT_COLUMNS = sql`(
  source, source_id, kind, url, title, text, author, published_at, fetched_at, engagement, category,
  sentiment, urgency, tags, salience, discovery_score, score_details, status)`;

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

function values(row: NewSignal): unknown[] {
  return [
    row.source,
    row.sourceId,
    row.kind,
    row.url,
    row.title,
    row.text,
    row.author,
    row.publishedAt,
    row.fetchedAt ?? DEFAULT,
    // jsonb as JSON text: both drivers pass a string through unchanged, whereas a JS array would
    // be turned into a Postgres array literal by the Neon (pg) driver.
    JSON.stringify(row.engagement),
    row.category,
    row.sentiment,
    row.urgency,
    row.tags,
    row.salience,
    row.discoveryScore,
    JSON.stringify(row.scoreDetails),
    row.status ?? DEFAULT,
  ];
}

function upsertStatement(rows: readonly NewSignal[]): Sql {
  // In INSERT … VALUES, Postgres types every parameter from its target column, row by row.
  return sql`
    INSERT INTO signals ${INSERT_COLUMNS}
    VALUES ${bulk(rows.map(values))}
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
