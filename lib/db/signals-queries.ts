// The SQL pieces the signals repository is assembled from. Column names and directions are
// constant fragments picked from the maps below by typed keys; everything a caller supplies
// travels as a parameter.
import { InvalidCursorError } from '../model/errors.js';
import { FEED_HALF_LIFE_DAYS } from '../model/rank.js';
import { ARTIFACT_KINDS } from '../model/signal.js';
import { decayed, minScoreCondition, nowDays } from './decay-sql.js';
import { isSignalId } from './ids.js';
import { SIGNAL_COLUMNS } from './signal-columns.js';
import type { SignalCursor, SignalFilter, SignalSort, SortOrder } from './signals-types.js';
import { empty, join, raw, sql, type Sql } from './sql.js';

/**
 * A timestamp as the cursor carries it: ISO 8601 in UTC with all six fractional digits. A JS Date
 * keeps milliseconds only, and a cursor rounded to them would skip or repeat rows whose
 * timestamps differ below a millisecond (now() has microseconds).
 */
function isoMicros(column: Sql): Sql {
  return sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/**
 * Keyset columns are written `signals.<column>`: in ORDER BY a bare name means the output column
 * first, and `id` there is `id::text`, which would sort '27' after '228'.
 */
export interface KeysetColumn {
  /** The column pages are ordered by (id breaks ties). */
  column: Sql;
  /** How the cursor's value is read back from the last row. */
  cursorValue: Sql;
  /** How a cursor's value is cast for the comparison. */
  cursorType: 'number' | 'timestamp';
}

export const SORT_COLUMNS: Readonly<Record<SignalSort, KeysetColumn>> = {
  // The decay key, not the served score: fixed per row, so a cursor stays exact as scores fall.
  score: { column: raw('signals.rank'), cursorValue: raw('signals.rank'), cursorType: 'number' },
  published_at: { column: raw('signals.published_at'), cursorValue: isoMicros(raw('signals.published_at')), cursorType: 'timestamp' },
  fetched_at: { column: raw('signals.fetched_at'), cursorValue: isoMicros(raw('signals.fetched_at')), cursorType: 'timestamp' },
};

export const DISCOVERY_COLUMN: KeysetColumn = {
  column: raw('signals.discovery_rank'),
  cursorValue: raw('signals.discovery_rank'),
  cursorType: 'number',
};

export const DIRECTIONS: Readonly<Record<SortOrder, { keyword: Sql; after: Sql }>> = {
  asc: { keyword: raw('ASC'), after: raw('>') },
  desc: { keyword: raw('DESC'), after: raw('<') },
};

/** The shape of timestamp this code issues in cursors (UTC, up to microseconds). */
const CURSOR_TIMESTAMP = /^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z$/;

/** Whether a string is a cursor timestamp Postgres will accept (V8 lets `02-30` roll over; Postgres does not). */
function isCursorTimestamp(value: string): boolean {
  if (!CURSOR_TIMESTAMP.test(value)) return false;
  const parsed = Date.parse(value);
  return Number.isFinite(parsed) && new Date(parsed).toISOString().slice(0, 19) === value.slice(0, 19);
}

/**
 * `(column, id) > / < (value, id)`: the rows after the cursor in this order. Cursors come from
 * clients, so a malformed one is an InvalidCursorError (a 400 at the edge) rather than a cast error
 * in Postgres.
 */
export function afterCursor(keyset: KeysetColumn, order: SortOrder, cursor: SignalCursor): Sql {
  const { value, id } = cursor;
  if (!isSignalId(id)) throw new InvalidCursorError('bad id');
  let typed: Sql;
  if (keyset.cursorType === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InvalidCursorError('value must be a number for this sort');
    }
    typed = sql`${value}::double precision`;
  } else {
    if (typeof value !== 'string' || !isCursorTimestamp(value)) {
      throw new InvalidCursorError('value must be an ISO timestamp for this sort');
    }
    typed = sql`${value}::timestamptz`;
  }
  return sql`(${keyset.column}, signals.id) ${DIRECTIONS[order].after} (${typed}, ${id}::bigint)`;
}

/** The lower-cased host of a signal's URL (after any user info, before a port, path, query or fragment). */
const URL_HOST = sql`lower(substring(signals.url from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?([^/:?#]+)'))`;

/** Signals assigned to a topic at one of `paths` or below it. */
function inTopics(paths: readonly string[]): Sql {
  return sql`EXISTS (
    SELECT 1 FROM signal_topics JOIN topics ON topics.id = signal_topics.topic_id
    CROSS JOIN unnest(${[...paths]}::text[]) AS wanted(path)
    WHERE signal_topics.signal_id = signals.id
      AND (topics.path = wanted.path OR left(topics.path, length(wanted.path) + 1) = wanted.path || '/'))`;
}

/** One condition per given filter field; scores as of `now` (decay-sql.ts `nowDays`). */
export function filterConditions(filter: SignalFilter, now: Sql = nowDays()): Sql[] {
  const conditions: Sql[] = [];
  if (filter.source !== undefined) conditions.push(sql`source = ${filter.source}`);
  if (filter.kind !== undefined) conditions.push(sql`kind = ${filter.kind}`);
  if (filter.kinds !== undefined) conditions.push(sql`kind = ANY(${[...filter.kinds]}::text[])`);
  if (filter.category !== undefined) conditions.push(sql`category = ${filter.category}`);
  if (filter.status !== undefined) conditions.push(sql`status = ${filter.status}`);
  const minScore = filter.minScore === undefined ? undefined : minScoreCondition('rank', filter.minScore, now, FEED_HALF_LIFE_DAYS);
  if (minScore !== undefined) conditions.push(minScore);
  if (filter.since !== undefined) conditions.push(sql`published_at >= ${filter.since}::timestamptz`);
  if (filter.until !== undefined) conditions.push(sql`published_at < ${filter.until}::timestamptz`);
  // websearch_to_tsquery('') matches nothing (with a NOTICE): a blank query means "no search".
  if (filter.q !== undefined && filter.q.trim() !== '') conditions.push(sql`search @@ websearch_to_tsquery('english', ${filter.q})`);
  if (filter.tags !== undefined) conditions.push(sql`tags @> ${[...filter.tags]}::text[]`);
  if (filter.topics !== undefined) conditions.push(inTopics(filter.topics));
  if (filter.excludeTerms !== undefined && filter.excludeTerms.length > 0) {
    // phraseto_tsquery per term, OR-ed: a muted phrase matches only as a phrase, a word as its stem.
    conditions.push(sql`NOT EXISTS (
      SELECT 1 FROM unnest(${[...filter.excludeTerms]}::text[]) AS muted(term)
      WHERE search @@ phraseto_tsquery('english', muted.term))`);
  }
  if (filter.excludeSources !== undefined && filter.excludeSources.length > 0) {
    conditions.push(sql`source <> ALL(${[...filter.excludeSources]}::text[])`);
  }
  if (filter.excludeDomains !== undefined && filter.excludeDomains.length > 0) {
    conditions.push(sql`NOT EXISTS (
      SELECT 1 FROM unnest(${[...filter.excludeDomains]}::text[]) AS muted(host)
      WHERE ${URL_HOST} = muted.host OR right(${URL_HOST}, length(muted.host) + 1) = '.' || muted.host)`);
  }
  return conditions;
}

/** Discoveries: artifacts with a discovery score that are not archived. */
export const DISCOVERY_CONDITIONS: readonly Sql[] = [
  sql`kind = ANY(${[...ARTIFACT_KINDS]}::text[])`,
  sql`discovery_rank IS NOT NULL`,
  sql`status <> 'archived'`,
];

export function where(conditions: readonly Sql[]): Sql {
  return conditions.length === 0 ? empty : join(conditions, ' AND ', 'WHERE ');
}

/**
 * One page of signals plus one row more, which tells whether a next page exists. `projection` is
 * what each row carries besides its cursor value: SIGNAL_COLUMNS (a Signal) or SIGNAL_JSON.
 */
export function keysetPage(
  keyset: KeysetColumn,
  order: SortOrder,
  conditions: readonly Sql[],
  limit: number,
  projection: Sql = SIGNAL_COLUMNS,
): Sql {
  const direction = DIRECTIONS[order].keyword;
  return sql`
    SELECT ${projection}, ${keyset.cursorValue} AS "cursorValue"
    FROM signals
    ${where(conditions)}
    ORDER BY ${keyset.column} ${direction}, signals.id ${direction}
    LIMIT ${limit + 1}`;
}

/** Counts by source, category and status, and percentiles of the score served as of `now`, in one round trip. */
export function signalStatsQuery(now: Sql = nowDays()): Sql {
  const score = decayed('rank', now, FEED_HALF_LIFE_DAYS);
  return sql`
  SELECT
    count(*)::int AS total,
    (SELECT coalesce(jsonb_object_agg(source, n), '{}'::jsonb)
       FROM (SELECT source, count(*)::int AS n FROM signals GROUP BY source) AS counts) AS "bySource",
    (SELECT coalesce(jsonb_object_agg(category, n), '{}'::jsonb)
       FROM (SELECT coalesce(category, 'unclassified') AS category, count(*)::int AS n FROM signals GROUP BY 1) AS counts) AS "byCategory",
    (SELECT coalesce(jsonb_object_agg(status, n), '{}'::jsonb)
       FROM (SELECT status, count(*)::int AS n FROM signals GROUP BY status) AS counts) AS "byStatus",
    percentile_cont(0.5) WITHIN GROUP (ORDER BY ${score}) AS p50,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY ${score}) AS p90,
    percentile_cont(0.99) WITHIN GROUP (ORDER BY ${score}) AS p99
  FROM signals`;
}
