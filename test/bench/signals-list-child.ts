// Child process of signals-list.ts: the data path. `GET /v1/signals?sort=score&limit=50` through the
// signals handler (middleware chain, validation, repository, JSON mapping, access log) against the
// very statement the repository sends, run directly on the same connection pool. 100,000 signals in
// the machine's Postgres, reached through the real Neon driver and the local WebSocket bridge.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { decodeCursor } from '../../lib/api/cursor.js';
import { resetConfig } from '../../lib/config.js';
import { setDb } from '../../lib/db/client.js';
import type { ListSignalsOptions } from '../../lib/db/signals-repo.js';
import { afterCursor, filterConditions, keysetPage, SORT_COLUMNS } from '../../lib/db/signals-queries.js';
import { sql, type Sql } from '../../lib/db/sql.js';
import type { Db } from '../../lib/db/types.js';
import { seedSignals } from '../support/signal-factory.js';
import { reportToParent } from './child.js';
import { onPostgres } from './child-postgres.js';
import { benchLambdaContext, getEvent } from './fixtures.js';
import { interleave, percentile } from './stats.js';

export interface Latency {
  p50Ms: number;
  p95Ms: number;
}

export interface QueryPlan {
  /** Which page: `first` or `page N`. */
  page: string;
  /** The plan's top node, costs left out. */
  topNode: string;
  /** The node that reads signals_rank_idx (sort=score's index), if any did. */
  scoreIndexNode: string | undefined;
  /** `Execution Time: … ms` as Postgres reports it. */
  executionTime: string;
}

export interface SignalsListResult {
  signals: number;
  /** Samples per side, half on the first page and half on the deep one. */
  samples: number;
  /** The page the deep samples read (1-based). */
  deepPage: number;
  seedMs: number;
  handler: Latency;
  direct: Latency;
  plans: QueryPlan[];
}

const SIGNALS = 100_000;
const PATH = '/v1/signals';
const LIMIT = 50;
/** The deep page is reached by following next_cursor this many times from the first. */
const CURSOR_FOLLOWS = 5;
const WARM_UP_ROUNDS = 50;
/** Each round runs each of the four calls once: 500 rounds give 1,000 samples per side (a p95 of 50 tail samples, steadier than 25). */
const ROUNDS = 500;

/** What the API asks the repository for on `?sort=score&limit=50` (order defaults to desc). */
const LIST_OPTIONS: ListSignalsOptions = { sort: 'score', order: 'desc', limit: LIMIT };

/** The statement listSignals sends for `options`, assembled from the same builders as its keysetQuery. */
function repositoryStatement(options: ListSignalsOptions): Sql {
  const keyset = SORT_COLUMNS[options.sort];
  const conditions = filterConditions(options);
  if (options.after !== undefined) conditions.push(afterCursor(keyset, options.order, options.after));
  return keysetPage(keyset, options.order, conditions, options.limit);
}

interface PageJson {
  items: Array<{ id: string }>;
  next_cursor: string | null;
}

function listUrl(cursor: string | undefined): string {
  const query = `sort=score&limit=${String(LIMIT)}`;
  return cursor === undefined ? `${PATH}?${query}` : `${PATH}?${query}&cursor=${encodeURIComponent(cursor)}`;
}

/** The handler's page, checked: 200 and a full page of items. */
function pageOf(result: { statusCode?: number; body?: string }, url: string): PageJson {
  if (result.statusCode !== 200) throw new Error(`GET ${url} answered ${String(result.statusCode)}: ${result.body ?? ''}`);
  const page = JSON.parse(result.body ?? '') as PageJson;
  if (page.items.length !== LIMIT) throw new Error(`GET ${url} returned ${String(page.items.length)} items, not ${String(LIMIT)}`);
  return page;
}

/** The first lines that matter of `EXPLAIN (ANALYZE, BUFFERS)` for the statement. */
async function explain(db: Db, page: string, statement: Sql): Promise<QueryPlan> {
  const rows = await db.query<{ 'QUERY PLAN': string }>(sql`EXPLAIN (ANALYZE, BUFFERS) ${statement}`);
  const lines = rows.map((row) => row['QUERY PLAN'].trim());
  const withoutCost = (line: string): string => line.replace(/^->\s*/, '').replace(/\s*\(cost=[^)]*\)/, '');
  const indexLine = lines.find((line) => line.includes('signals_rank_idx'));
  return {
    page,
    topNode: withoutCost(lines[0] ?? '(no plan)'),
    scoreIndexNode: indexLine === undefined ? undefined : withoutCost(indexLine),
    executionTime: lines.find((line) => line.startsWith('Execution Time')) ?? '(no execution time)',
  };
}

async function measure(db: Db, seedMs: number): Promise<SignalsListResult> {
  setDb(db);
  // Thousands of anonymous requests from one address: lift the anonymous limit so the limiter
  // (memory store, as locally) decides every request without refusing any.
  process.env.RATE_LIMIT_ANONYMOUS = '100000000';
  resetConfig();
  // Imported after setDb, as a container would be warm with its database already open.
  const { handler } = await import('../../functions/signals.js');
  const context = benchLambdaContext('signals');

  // The deep page: follow next_cursor from the first page, through the handler as a client would.
  let cursor: string | undefined;
  for (let follow = 0; follow < CURSOR_FOLLOWS; follow += 1) {
    const url = listUrl(cursor);
    const page = pageOf(await handler(getEvent(url, PATH), context), url);
    if (page.next_cursor === null) throw new Error(`GET ${url} has no next page`);
    cursor = page.next_cursor;
  }
  if (cursor === undefined) throw new Error('no cursor to follow');
  const firstUrl = listUrl(undefined);
  const deepUrl = listUrl(cursor);
  const firstEvent = getEvent(firstUrl, PATH);
  const deepEvent = getEvent(deepUrl, PATH);
  // The API decodes the cursor the same way before it calls the repository.
  const { value, id } = decodeCursor(cursor, `rank:${LIST_OPTIONS.order}`); // sort=score pages on the decay key
  const firstStatement = repositoryStatement(LIST_OPTIONS);
  const deepStatement = repositoryStatement({ ...LIST_OPTIONS, after: { value, id } });

  // Both sides must read the same rows, or the comparison means nothing.
  for (const [url, event, statement] of [
    [firstUrl, firstEvent, firstStatement],
    [deepUrl, deepEvent, deepStatement],
  ] as const) {
    const viaHandler = pageOf(await handler(event, context), url).items.map((item) => item.id);
    const direct = (await db.query<{ id: string }>(statement)).slice(0, LIMIT).map((row) => row.id);
    if (viaHandler.join() !== direct.join()) throw new Error(`GET ${url} and its statement returned different rows`);
  }

  const handlerMs: number[] = [];
  const directMs: number[] = [];
  let recording = false;
  const viaHandler = (url: string, event: APIGatewayProxyEventV2) => async (): Promise<void> => {
    const started = performance.now();
    const result = await handler(event, context);
    const elapsed = performance.now() - started;
    pageOf(result, url);
    if (recording) handlerMs.push(elapsed);
  };
  const direct = (statement: Sql) => async (): Promise<void> => {
    const started = performance.now();
    const rows = await db.query(statement);
    const elapsed = performance.now() - started;
    if (rows.length !== LIMIT + 1) throw new Error(`the list statement returned ${String(rows.length)} rows, not ${String(LIMIT + 1)}`);
    if (recording) directMs.push(elapsed);
  };
  const steps = [viaHandler(firstUrl, firstEvent), viaHandler(deepUrl, deepEvent), direct(firstStatement), direct(deepStatement)];

  await interleave(WARM_UP_ROUNDS, steps);
  recording = true;
  await interleave(ROUNDS, steps);

  const plans = [await explain(db, 'first', firstStatement), await explain(db, `page ${String(CURSOR_FOLLOWS + 1)}`, deepStatement)];
  return {
    signals: SIGNALS,
    samples: handlerMs.length,
    deepPage: CURSOR_FOLLOWS + 1,
    seedMs,
    handler: { p50Ms: percentile(handlerMs, 50), p95Ms: percentile(handlerMs, 95) },
    direct: { p50Ms: percentile(directMs, 50), p95Ms: percentile(directMs, 95) },
    plans,
  };
}

const result: SignalsListResult = await onPostgres(async (db) => {
  const seeding = performance.now();
  await seedSignals(db, SIGNALS);
  // A table just loaded has no statistics yet; a production one has been auto-analysed long since.
  await db.query(sql`ANALYZE signals`);
  return await measure(db, performance.now() - seeding);
});
reportToParent(result);
