// GET /v1/signals/stats over 100,000 rows on real Postgres: the first request runs the statement,
// the next ones within STATS_CACHE_TTL_MS are answered from the container's cache without a
// statement (their cost no longer grows with the table), concurrent requests share one statement,
// and the response says how old the figures are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountSignalsApi, resetStatsCache } from '../../../../lib/api/signals-api.js';
import { resetConfig } from '../../../../lib/config.js';
import { resetDb, setDb } from '../../../../lib/db/client.js';
import { sql } from '../../../../lib/db/sql.js';
import type { Db } from '../../../../lib/db/types.js';
import { createApp, type App } from '../../../../lib/http/app.js';
import { closeDatabases, createPostgresDatabase, type TestDatabase } from '../../../support/databases.js';

const ROWS = 100_000;

describe('GET /v1/signals/stats on 100,000 rows', () => {
  let database: TestDatabase;
  let app: App;
  let statements = 0;
  const saved = { ...process.env };

  beforeAll(async () => {
    database = await createPostgresDatabase();
    await database.db.query(sql`
      INSERT INTO signals (source, source_id, kind, url, title, published_at, category, rank)
      SELECT (ARRAY['hackernews','reddit','github','arxiv','x'])[1 + i % 5], 'row-' || i, 'post', 'https://example.com/' || i, 'row ' || i,
             now() - (i % 500) * interval '1 minute', (ARRAY['bug','question','other'])[1 + i % 3],
             ln(1 + i % 97) / ln(2) + extract(epoch FROM now()) / 86400
      FROM generate_series(1, ${ROWS}) AS i`);
    // Count what reaches the database from here on.
    const db = database.db;
    const counting: Db = Object.create(db) as Db;
    counting.query = (async (statement: Parameters<Db['query']>[0]) => {
      statements += 1;
      return db.query(statement);
    });
    setDb(counting);
    process.env.STATS_CACHE_TTL_MS = '60000';
    resetConfig();
    resetStatsCache();
    app = createApp({ name: 'signals' });
    mountSignalsApi(app);
  }, 120_000);

  afterAll(async () => {
    await resetDb();
    await database.dispose();
    await closeDatabases();
    process.env = saved;
    resetConfig();
    resetStatsCache();
  });

  it('runs the statement once, then answers from the cache', async () => {
    // Act: two concurrent requests on a cold cache, then a third
    const [first, second] = await Promise.all([app.request('/v1/signals/stats'), app.request('/v1/signals/stats')]);
    const afterCold = statements;
    const third = await app.request('/v1/signals/stats');

    // Assess
    expect(first.status).toBe(200);
    const body = (await first.json()) as { total: number; by_source: Record<string, number>; score: { p50: number } };
    expect(body.total).toBe(ROWS);
    expect(body.by_source.hackernews).toBe(ROWS / 5);
    expect(body.score.p50).toBeGreaterThan(0);
    expect(afterCold).toBe(1);
    expect(statements).toBe(1);
    expect(await second.json()).toEqual(body);
    expect(await third.json()).toEqual(body);
    expect(third.headers.get('cache-control')).toMatch(/^public, max-age=(59|60)$/);
    expect(third.headers.get('age')).toMatch(/^[01]$/);
  });
});
