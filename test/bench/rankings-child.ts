// Child process of rankings.ts (issue 13), on 100,000 signals in the machine's Postgres through the
// Neon driver:
// - the ranking query as served now (sort=score on the decay key, every score decayed at read time,
//   lib/db/signals-queries.ts) against the stored-score query it replaced (the frozen `score`
//   column and its own index, recreated here for the comparison), first page and a deep page;
// - GET /v1/signals/stats through the handler with its cache expired on every call (cold: the
//   whole-table statement) against the same handler answering from its cache.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { resetConfig } from '../../lib/config.js';
import { setDb } from '../../lib/db/client.js';
import { afterCursor, keysetPage, SORT_COLUMNS, type KeysetColumn } from '../../lib/db/signals-queries.js';
import { raw, sql, type Sql } from '../../lib/db/sql.js';
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

export interface RankingsResult {
  signals: number;
  samples: number;
  decayed: Latency;
  stored: Latency;
  /** The index each plan read. */
  decayedIndex: string;
  storedIndex: string;
  statsCold: Latency;
  statsCached: Latency;
}

const SIGNALS = 100_000;
const LIMIT = 50;
const DEEP_ROWS = 300;
const ROUNDS = 300;
const STATS_ROUNDS = 20;

/** The frozen stored-score listing as it was before issue 13: its projection and its keyset. */
const STORED_KEYSET: KeysetColumn = { column: raw('signals.score'), cursorValue: raw('signals.score'), cursorType: 'number' };
const STORED_COLUMNS = sql`
  signals.id::text AS id, source, source_id AS "sourceId", kind, url, title, text, author,
  published_at AS "publishedAt", fetched_at AS "fetchedAt", engagement, category, sentiment, urgency,
  tags, salience, discovery_score AS "discoveryScore", score, score_details AS "scoreDetails", status,
  notified_at AS "notifiedAt", updated_at AS "updatedAt"`;

async function indexUsed(db: Db, statement: Sql): Promise<string> {
  const rows = await db.query<{ 'QUERY PLAN': string }>(sql`EXPLAIN ${statement}`);
  return rows.map((row) => row['QUERY PLAN']).find((line) => line.includes('Index'))?.trim().replace(/\s*\(cost=[^)]*\)/, '') ?? 'no index';
}

async function timed(samples: number[], recording: () => boolean, work: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await work();
  if (recording()) samples.push(performance.now() - started);
}

async function measure(db: Db): Promise<RankingsResult> {
  // The baseline's index: the one migration 0006 replaced by the rank indexes.
  await db.query(sql`CREATE INDEX signals_score_bench_idx ON signals (score DESC, id DESC)`);
  await db.query(sql`ANALYZE signals`);

  const decayedKeyset = SORT_COLUMNS.score;
  const deepCursor = async (keyset: KeysetColumn, projection?: Sql): Promise<Sql> => {
    const rows = await db.query<{ id: string; cursorValue: number }>(keysetPage(keyset, 'desc', [], DEEP_ROWS, projection));
    const last = rows[DEEP_ROWS - 1];
    if (last === undefined) throw new Error('no deep row');
    return afterCursor(keyset, 'desc', { value: Number(last.cursorValue), id: last.id });
  };
  const decayedFirst = keysetPage(decayedKeyset, 'desc', [], LIMIT);
  const decayedDeep = keysetPage(decayedKeyset, 'desc', [await deepCursor(decayedKeyset)], LIMIT);
  const storedFirst = keysetPage(STORED_KEYSET, 'desc', [], LIMIT, STORED_COLUMNS);
  const storedDeep = keysetPage(STORED_KEYSET, 'desc', [await deepCursor(STORED_KEYSET, STORED_COLUMNS)], LIMIT, STORED_COLUMNS);

  const decayed: number[] = [];
  const stored: number[] = [];
  let recording = false;
  const on = (): boolean => recording;
  const steps = [
    () => timed(decayed, on, () => db.query(decayedFirst)),
    () => timed(decayed, on, () => db.query(decayedDeep)),
    () => timed(stored, on, () => db.query(storedFirst)),
    () => timed(stored, on, () => db.query(storedDeep)),
  ];
  await interleave(30, steps);
  recording = true;
  await interleave(ROUNDS, steps);

  // Stats through the handler: TTL 0 (every call runs the statement) vs the default cache.
  setDb(db);
  process.env.RATE_LIMIT_ANONYMOUS = '100000000';
  const { handler } = await import('../../functions/signals.js');
  const { resetStatsCache } = await import('../../lib/api/signals-api.js');
  const context = benchLambdaContext('signals');
  const event: APIGatewayProxyEventV2 = getEvent('/v1/signals/stats', '/v1/signals/stats');
  const call = async (): Promise<void> => {
    const result = await handler(event, context);
    if (result.statusCode !== 200) throw new Error(`stats answered ${String(result.statusCode)}`);
  };
  const statsCold: number[] = [];
  const statsCached: number[] = [];
  process.env.STATS_CACHE_TTL_MS = '0';
  resetConfig();
  resetStatsCache();
  await call();
  for (let i = 0; i < STATS_ROUNDS; i++) await timed(statsCold, () => true, call);
  process.env.STATS_CACHE_TTL_MS = '60000';
  resetConfig();
  resetStatsCache();
  await call();
  for (let i = 0; i < STATS_ROUNDS * 10; i++) await timed(statsCached, () => true, call);

  const latency = (values: number[]): Latency => ({ p50Ms: percentile(values, 50), p95Ms: percentile(values, 95) });
  return {
    signals: SIGNALS,
    samples: decayed.length,
    decayed: latency(decayed),
    stored: latency(stored),
    decayedIndex: await indexUsed(db, decayedDeep),
    storedIndex: await indexUsed(db, storedDeep),
    statsCold: latency(statsCold),
    statsCached: latency(statsCached),
  };
}

const result: RankingsResult = await onPostgres(async (db) => {
  await seedSignals(db, SIGNALS);
  return await measure(db);
});
reportToParent(result);
