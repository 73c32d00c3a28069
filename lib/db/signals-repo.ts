// The signals repository: keyset-paged listings, one signal by id, the few edits the API allows,
// and corpus statistics. Ids arrive from URLs; a malformed one is "not found", never a SQL error.
import type { Signal } from '../model/signal.js';
import { isSignalId } from './ids.js';
import { DISCOVERY_HALF_LIFE_DAYS } from '../model/rank.js';
import { minScoreCondition, nowDays } from './decay-sql.js';
import { SIGNAL_COLUMNS, signalColumns, signalJson, toSignal } from './signal-columns.js';
import {
  SIGNAL_SORTS,
  type ListDiscoveriesOptions,
  type ListSignalsOptions,
  type SignalPage,
  type SignalPatch,
  type SignalStats,
} from './signals-types.js';
import {
  afterCursor,
  DIRECTIONS,
  DISCOVERY_COLUMN,
  DISCOVERY_CONDITIONS,
  filterConditions,
  keysetPage,
  signalStatsQuery,
  SORT_COLUMNS,
  type KeysetColumn,
} from './signals-queries.js';
import { join, sql, type Sql } from './sql.js';
import type { Queryable } from './types.js';

export * from './signals-types.js';
export { upsertSignals, UPSERT_BATCH_SIZE } from './signals-upsert.js';

/** Largest page a caller may ask for; the API allows less. */
export const MAX_PAGE_SIZE = 1000;

type PageRow = Signal & { cursorValue: number | string };

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new RangeError(`page limit must be an integer from 1 to ${String(MAX_PAGE_SIZE)}, got ${String(limit)}`);
  }
}

type PageOptions = Pick<ListSignalsOptions, 'order' | 'limit' | 'after'>;

interface CursorColumns {
  id: string;
  cursorValue: number | string;
}

/** One keyset page with `projection` per row; `item` turns a row into what the page holds. */
async function keysetQuery<Row extends CursorColumns, T>(
  db: Queryable,
  keyset: KeysetColumn,
  options: PageOptions,
  conditions: Sql[],
  projection: Sql,
  item: (row: Row) => T,
): Promise<SignalPage<T>> {
  checkLimit(options.limit);
  if (!Object.hasOwn(DIRECTIONS, options.order)) throw new RangeError(`unknown sort order ${String(options.order)}`);
  const all = options.after === undefined ? conditions : [...conditions, afterCursor(keyset, options.order, options.after)];
  const rows = await db.query<Row>(keysetPage(keyset, options.order, all, options.limit, projection));
  const items = rows.slice(0, options.limit).map(item);
  const last = rows.length > options.limit ? rows[options.limit - 1] : undefined;
  return { items, next: last === undefined ? undefined : { value: last.cursorValue, id: last.id } };
}

function listConditions(options: ListSignalsOptions): { keyset: KeysetColumn; conditions: Sql[]; now: Sql } {
  if (!(SIGNAL_SORTS as readonly string[]).includes(options.sort)) throw new RangeError(`unknown sort ${String(options.sort)}`);
  const now = nowDays(options.asOf);
  return { keyset: SORT_COLUMNS[options.sort], conditions: filterConditions(options, now), now };
}

function discoveryConditions(options: ListDiscoveriesOptions, now: Sql): Sql[] {
  const conditions = [...DISCOVERY_CONDITIONS];
  const min = options.minScore === undefined ? undefined : minScoreCondition('discovery_rank', options.minScore, now, DISCOVERY_HALF_LIFE_DAYS);
  if (min !== undefined) conditions.push(min);
  return conditions;
}

type JsonRow = CursorColumns & { json: string };
const jsonText = (row: JsonRow): string => row.json;

/**
 * One page of signals matching the filter, ordered by `sort` then id (the tie-breaker), in one
 * direction. Keyset paging: pass the previous page's `next` as `after`; pages neither repeat nor
 * skip rows however many share a sort value. `extra` conditions narrow the page further (a feed's
 * guard that its cached watch is still current: lib/delivery/feeds/feed-source.ts).
 */
export async function listSignals(db: Queryable, options: ListSignalsOptions, extra: readonly Sql[] = []): Promise<SignalPage> {
  const { keyset, conditions, now } = listConditions(options);
  return keysetQuery<PageRow, Signal>(db, keyset, options, [...conditions, ...extra], signalColumns(now), toSignal);
}

/** listSignals, each signal as its public JSON text (the API's `toSignalJson` shape), built by Postgres. */
export async function listSignalsJson(db: Queryable, options: ListSignalsOptions): Promise<SignalPage<string>> {
  const { keyset, conditions, now } = listConditions(options);
  return keysetQuery<JsonRow, string>(db, keyset, options, conditions, signalJson(now), jsonText);
}

/** Artifacts by discovery score, highest first, archived ones left out; keyset-paged like listSignals. */
export async function listDiscoveries(db: Queryable, options: ListDiscoveriesOptions): Promise<SignalPage> {
  const page = { order: 'desc', limit: options.limit, after: options.after } as const;
  const now = nowDays(options.asOf);
  return keysetQuery<PageRow, Signal>(db, DISCOVERY_COLUMN, page, discoveryConditions(options, now), signalColumns(now), toSignal);
}

/** listDiscoveries, each signal as its public JSON text. */
export async function listDiscoveriesJson(db: Queryable, options: ListDiscoveriesOptions): Promise<SignalPage<string>> {
  const page = { order: 'desc', limit: options.limit, after: options.after } as const;
  const now = nowDays(options.asOf);
  return keysetQuery<JsonRow, string>(db, DISCOVERY_COLUMN, page, discoveryConditions(options, now), signalJson(now), jsonText);
}

export async function getSignal(db: Queryable, id: string): Promise<Signal | undefined> {
  if (!isSignalId(id)) return undefined;
  const rows = await db.query<Signal>(sql`SELECT ${SIGNAL_COLUMNS} FROM signals WHERE id = ${id}::bigint`);
  return rows[0];
}

/** Applies the given fields and bumps updated_at; an empty patch changes nothing. Undefined when there is no such signal. */
export async function updateSignal(db: Queryable, id: string, patch: SignalPatch): Promise<Signal | undefined> {
  if (!isSignalId(id)) return undefined;
  const assignments: Sql[] = [];
  if (patch.status !== undefined) assignments.push(sql`status = ${patch.status}`);
  if (patch.tags !== undefined) assignments.push(sql`tags = ${patch.tags}::text[]`);
  if (assignments.length === 0) return getSignal(db, id);
  assignments.push(sql`updated_at = now()`);
  const rows = await db.query<Signal>(sql`UPDATE signals SET ${join(assignments, ', ')} WHERE id = ${id}::bigint RETURNING ${SIGNAL_COLUMNS}`);
  return rows[0];
}

/** Sets status 'archived'. Archiving twice is harmless: updated_at keeps the first time. */
export async function archiveSignal(db: Queryable, id: string): Promise<Signal | undefined> {
  if (!isSignalId(id)) return undefined;
  const rows = await db.query<Signal>(sql`
    UPDATE signals
    SET status = 'archived', updated_at = CASE WHEN status = 'archived' THEN updated_at ELSE now() END
    WHERE id = ${id}::bigint
    RETURNING ${SIGNAL_COLUMNS}`);
  return rows[0];
}

/** Corpus statistics, scores as of `asOf` (default the database's now()). */
export async function signalStats(db: Queryable, asOf?: Date): Promise<SignalStats> {
  const rows = await db.query<Omit<SignalStats, 'score'> & SignalStats['score']>(signalStatsQuery(nowDays(asOf)));
  // An aggregate without GROUP BY always returns exactly one row.
  const [row] = rows;
  if (row === undefined) throw new Error('the statistics query returned no row');
  const { total, bySource, byCategory, byStatus, p50, p90, p99 } = row;
  return { total, bySource, byCategory, byStatus, score: { p50, p90, p99 } };
}
