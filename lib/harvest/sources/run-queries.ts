// The loop every adapter shares: each query in turn, page after page, until the source has no more,
// the query reaches its page limit, or the pipeline says stop. A query that fails records its error
// and keeps the items it already had, and the next query starts; nothing here throws.
//
// Cursors: a query that finishes (or is cut short by the page limit or shouldStop) stores the newest
// cursor its pages reported, so the next run asks only for newer items; older items past the page
// limit are skipped on purpose (a digest of what is new, not an archive). A query that fails stores
// nothing: the next run reads the same range again and the upsert absorbs the repeats.
//
// Overlap: each source re-reads a lag window behind its cursor (`lagBehind`), because items reach
// a source's listing late (search-index lag, posts approved later, papers released from hold) with
// a date older than the cursor, and a strict `newer than the cursor` would never see them. The
// upsert absorbs the repeats, and re-reading refreshes the engagement of the window's items: their
// scores are re-polled within the source's own page limits.
import { SourceError } from './errors.js';
import type { FetchContext, HarvestedItem, QueryOutcome, SourceResult } from '../types.js';
import type { SourceName } from '../../model/sources.js';
import type { SourceHttp } from './http.js';

/** One page of one query. */
export interface Page<State> {
  /** The page's items, already mapped (bad ones skipped). */
  items: HarvestedItem[];
  /** The cursor this page would store (its newest item's), in the source's own format. */
  newest?: string;
  /** How to fetch the next page; undefined = the query is done. */
  next?: State;
}

export interface QueryLoop<State> {
  source: SourceName;
  /** The queries (search expressions, subreddits), each with its own cursor. */
  queries: readonly string[];
  /** Pages per query and run at most. */
  maxPages: number;
  /** Orders two cursors of this source: positive when `a` is newer than `b`. */
  compare(a: string, b: string): number;
  /** Whether a stored cursor is one this source writes; another (corrupt, older format) is ignored. */
  isCursor(value: string): boolean;
  /** The cursor moved back by the source's lag window (see the file comment); default: no overlap. */
  lagBehind?(cursor: string): string;
  /** Fetches one page: `state` is undefined for the first. Throws on failure (the query's error). */
  fetchPage(query: string, cursor: string | undefined, state: State | undefined): Promise<Page<State>>;
}

/** Numeric cursors (epoch seconds). */
export function compareNumbers(a: string, b: string): number {
  return Number(a) - Number(b);
}

/** Decimal ids too large for a double (X's snowflakes). */
export function compareBigInts(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference > 0n ? 1 : difference < 0n ? -1 : 0;
}

/** An epoch-seconds cursor moved back by `lagMs`. */
export function lagEpochSeconds(cursor: string, lagMs: number): string {
  return String(Math.max(0, Math.floor(Number(cursor) - lagMs / 1000)));
}

/** An ISO 8601 cursor moved back by `lagMs`. */
export function lagIsoDate(cursor: string, lagMs: number): string {
  return new Date(Date.parse(cursor) - lagMs).toISOString();
}

/** ISO 8601 timestamps. */
export function compareDates(a: string, b: string): number {
  return Date.parse(a) - Date.parse(b);
}

/** The newest `publishedAt` of `items` as epoch seconds (the cursor of HN and Reddit); undefined for none. */
export function newestEpochSeconds(items: readonly HarvestedItem[]): string | undefined {
  let newest: number | undefined;
  for (const item of items) {
    const seconds = Math.floor(item.publishedAt.getTime() / 1000);
    if (newest === undefined || seconds > newest) newest = seconds;
  }
  return newest === undefined ? undefined : String(newest);
}

/** The error text a query records: a SourceError's message is made for this; anything else is named. */
function describeFailure(error: unknown): string {
  if (error instanceof SourceError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Runs every query of one source; `http` is the run's client (its counters become the result's). */
export async function runQueries<State>(loop: QueryLoop<State>, context: FetchContext, http: SourceHttp): Promise<SourceResult> {
  const items: HarvestedItem[] = [];
  const cursors = new Map<string, string>();
  const queries: QueryOutcome[] = [];
  let truncated = false;

  for (const query of loop.queries) {
    const outcome: QueryOutcome = { query, items: 0, pages: 0 };
    queries.push(outcome);
    const stored = context.cursors.get(query);
    const cursor = stored !== undefined && loop.isCursor(stored) ? stored : undefined;
    const from = cursor === undefined || loop.lagBehind === undefined ? cursor : loop.lagBehind(cursor);
    const seen = new Set<string>();
    let newest: string | undefined;
    let state: State | undefined;
    try {
      for (;;) {
        if (outcome.pages >= loop.maxPages) break;
        if (context.run.shouldStop() || context.run.signal.aborted) {
          truncated = true;
          break;
        }
        const page = await loop.fetchPage(query, from, state);
        outcome.pages += 1;
        for (const item of page.items) {
          // Pages shift while new items arrive: the same item can show up twice.
          if (seen.has(item.sourceId)) continue;
          seen.add(item.sourceId);
          items.push(item);
          outcome.items += 1;
        }
        if (page.newest !== undefined && (newest === undefined || loop.compare(page.newest, newest) > 0)) newest = page.newest;
        if (page.next === undefined) break;
        state = page.next;
      }
      if (newest !== undefined && (cursor === undefined || loop.compare(newest, cursor) > 0)) cursors.set(query, newest);
    } catch (error) {
      outcome.error = describeFailure(error);
    }
  }

  return { items, cursors, queries, requests: http.requests, retries: http.retries, truncated };
}
