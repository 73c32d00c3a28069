import { beforeEach, describe, expect, it } from 'vitest';
import { instrumentDb, statementLabels } from '../../../../lib/db/instrumented.js';
import { sql } from '../../../../lib/db/sql.js';
import type { Db, Queryable, Session } from '../../../../lib/db/types.js';
import { dbQueries, dbQueryDuration } from '../../../../lib/metrics/db-metrics.js';
import { registry } from '../../../../lib/metrics/registry.js';
import { observationsOf, valueOf } from '../../../support/metric-values.js';

/** A Db that answers every statement with `rows`, or fails when the text contains `FAIL`. */
function fakeDb(rows: unknown[] = [{ n: 1 }]): Db & { closed: boolean; execs: string[] } {
  const query = <Row>(statement: { text: string }): Promise<Row[]> =>
    statement.text.includes('FAIL') ? Promise.reject(new Error('relation does not exist')) : Promise.resolve(rows as Row[]);
  const db = {
    driver: 'pglite' as const,
    closed: false,
    execs: [] as string[],
    query,
    transaction: <T>(work: (tx: Queryable) => Promise<T>) => work({ query }),
    session: <T>(work: (session: Session) => Promise<T>) =>
      work({
        query,
        exec: (script: string) => {
          db.execs.push(script);
          return Promise.resolve();
        },
      }),
    close: () => {
      db.closed = true;
      return Promise.resolve();
    },
  };
  return db;
}

describe('statementLabels', () => {
  it.each([
    ['SELECT id, title FROM signals WHERE id = $1', 'select', 'signals'],
    ['  select count(*) from api_keys', 'select', 'api_keys'],
    ['INSERT INTO signals (a) VALUES ($1) ON CONFLICT (a) DO UPDATE SET a = excluded.a', 'insert', 'signals'],
    ['UPDATE api_keys SET last_used_at = now() WHERE id = $1::uuid', 'update', 'api_keys'],
    ['DELETE FROM topic_events WHERE id = $1', 'delete', 'topic_events'],
    ['SELECT (SELECT json_agg(x) FROM (SELECT source FROM signals) AS x) AS "bySource"', 'select', 'signals'],
    ['SELECT * FROM public.job_runs', 'select', 'job_runs'],
    ['SELECT * FROM "source_cursors"', 'select', 'source_cursors'],
    ['-- the newest first\nSELECT * FROM topics', 'select', 'topics'],
    ['WITH moved AS (DELETE FROM signals RETURNING *) SELECT count(*) FROM moved', 'delete', 'signals'],
    ['WITH recent AS (SELECT * FROM signals) SELECT * FROM recent', 'select', 'signals'],
    ['SELECT 1', 'select', 'other'],
    ['SELECT * FROM pg_catalog.pg_tables', 'select', 'other'],
    ['SELECT updated_at FROM user_secrets', 'select', 'other'],
    ['SELECT pg_advisory_lock($1)', 'select', 'other'],
    ['BEGIN', 'other', 'other'],
  ])('reads %j as %s on %s', (text, operation, table) => {
    // Act
    const labels = statementLabels(text);

    // Assess
    expect(labels).toEqual({ operation, table });
  });
});

describe('instrumentDb', () => {
  beforeEach(() => {
    registry.resetMetrics();
  });

  it('counts and times a statement by operation and table, and returns its rows', async () => {
    // Prepare
    const db = instrumentDb(fakeDb([{ id: 1 }]));

    // Act
    const rows = await db.query(sql`SELECT id FROM signals WHERE id = ${1}`);

    // Assess
    expect(rows).toEqual([{ id: 1 }]);
    expect(await valueOf(dbQueries, { operation: 'select', table: 'signals', status: 'ok' })).toBe(1);
    expect(await observationsOf(dbQueryDuration, { operation: 'select', table: 'signals' })).toBe(1);
  });

  it('counts a failed statement as an error and rethrows it unchanged', async () => {
    // Prepare
    const db = instrumentDb(fakeDb());

    // Act
    const query = db.query(sql`UPDATE signals SET FAIL = 1`);

    // Assess
    await expect(query).rejects.toThrow('relation does not exist');
    expect(await valueOf(dbQueries, { operation: 'update', table: 'signals', status: 'error' })).toBe(1);
    expect(await observationsOf(dbQueryDuration, { operation: 'update', table: 'signals' })).toBe(1);
  });

  it('measures statements inside transactions and sessions, and passes exec and close through', async () => {
    // Prepare
    const inner = fakeDb();
    const db = instrumentDb(inner);

    // Act
    await db.transaction((tx) => tx.query(sql`INSERT INTO topics (name) VALUES (${'a'})`));
    await db.session(async (session) => {
      await session.exec('CREATE TABLE x (id int)');
      await session.query(sql`DELETE FROM topics`);
    });
    await db.close();

    // Assess
    expect(await valueOf(dbQueries, { operation: 'insert', table: 'topics', status: 'ok' })).toBe(1);
    expect(await valueOf(dbQueries, { operation: 'delete', table: 'topics', status: 'ok' })).toBe(1);
    expect(inner.execs).toEqual(['CREATE TABLE x (id int)']);
    expect(inner.closed).toBe(true);
    expect(db.driver).toBe('pglite');
  });

  it('wraps only once, so a statement is never counted twice', async () => {
    // Prepare
    const db = instrumentDb(fakeDb());

    // Act
    const again = instrumentDb(db);
    await again.query(sql`SELECT 1`);

    // Assess
    expect(again).toBe(db);
    expect(await valueOf(dbQueries, { operation: 'select', table: 'other', status: 'ok' })).toBe(1);
  });
});
