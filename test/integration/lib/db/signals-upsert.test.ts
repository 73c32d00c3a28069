// Storing harvested signals on both drivers: new rows are inserted, known ones refreshed without
// losing what we decided about them, batches above 500 rows split into several statements, and the
// counts say which happened. Each test writes under a source of its own.
import { beforeAll, expect, it } from 'vitest';
import { listSignals, updateSignal, upsertSignals, UPSERT_BATCH_SIZE } from '../../../../lib/db/signals-repo.js';
import type { NewSignal, Signal } from '../../../../lib/model/signal.js';
import { sql, type Sql } from '../../../../lib/db/sql.js';
import type { Db, Queryable } from '../../../../lib/db/types.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { FACTORY_SCORED_AT, makeSignal, signalColumnsOf, withFactoryRanks } from '../../../support/signal-factory.js';

function signalsOf(source: string, count: number, start = 0): NewSignal[] {
  return Array.from({ length: count }, (_, i) => makeSignal({ source, status: 'active' }, start + i));
}

async function stored(db: Queryable, source: string): Promise<Signal[]> {
  return (await listSignals(db, { source, sort: 'score', order: 'desc', limit: 1000, asOf: FACTORY_SCORED_AT })).items;
}

async function countOf(db: Queryable, source: string): Promise<number> {
  const [row] = await db.query<{ count: number }>(sql`SELECT count(*)::int AS count FROM signals WHERE source = ${source}`);
  return row?.count ?? -1;
}

/** Passes statements through and keeps them, to count round trips. */
function recording(db: Queryable): { db: Queryable; statements: Sql[] } {
  const statements: Sql[] = [];
  return {
    statements,
    db: {
      query: (statement) => {
        statements.push(statement);
        return db.query(statement);
      },
    },
  };
}

describeOnDrivers('storing signals on $driver', ({ open }) => {
  let db: Db;
  beforeAll(async () => { ({ db } = await open()); });

  it('inserts new signals and reports them as inserted', async () => {
    // Prepare
    const rows = signalsOf('insert_new', 12);

    // Act
    const result = await upsertSignals(db, rows);

    // Assess
    expect(result).toEqual({ inserted: 12, updated: 0 });
    const signals = await stored(db, 'insert_new');
    expect(signals.map((s) => s.sourceId).sort()).toEqual(rows.map((r) => r.sourceId).sort());
    const first = signals.find((s) => s.sourceId === rows[0]?.sourceId);
    expect(first).toMatchObject({ ...signalColumnsOf(rows[0] ?? makeSignal()), notifiedAt: null });
  });

  it('is idempotent: the same rows again update instead of inserting, and the row count stays', async () => {
    // Prepare
    const rows = signalsOf('idempotent', 20);
    const first = await upsertSignals(db, rows);

    // Act
    const second = await upsertSignals(db, rows);

    // Assess
    expect(first).toEqual({ inserted: 20, updated: 0 });
    expect(second).toEqual({ inserted: 0, updated: 20 });
    expect(await countOf(db, 'idempotent')).toBe(20);
  });

  it('refreshes what the source reports and keeps status, notified_at, tags and fetched_at', async () => {
    // Prepare: stored, then decided about (paused, notified, retagged)
    const [original] = signalsOf('refresh', 1);
    if (original === undefined) throw new Error('no row');
    await upsertSignals(db, [original]);
    const [before] = await stored(db, 'refresh');
    if (before === undefined) throw new Error('not stored');
    await updateSignal(db, before.id, { status: 'paused', tags: ['curated'] });
    await db.query(sql`UPDATE signals SET notified_at = '2026-02-01T00:00:00Z' WHERE id = ${before.id}::bigint`);
    const reharvest: NewSignal = withFactoryRanks({
      ...original,
      title: 'A new title',
      text: 'New text',
      engagement: { points: 9999 },
      salience: 12,
      discoveryScore: 34.5,
      scoreDetails: { rerun: true },
      tags: ['from-source'],
      status: 'active',
      fetchedAt: new Date('2026-06-01T00:00:00Z'),
    });

    // Act
    const result = await upsertSignals(db, [reharvest]);

    // Assess
    const [after] = await stored(db, 'refresh');
    expect(result).toEqual({ inserted: 0, updated: 1 });
    expect(after).toMatchObject({
      id: before.id,
      title: 'A new title',
      text: 'New text',
      engagement: { points: 9999 },
      salience: 34.5, // served: the row's feed score, from its discovery score when it has one
      discoveryScore: 34.5,
      scoreDetails: { rerun: true },
      status: 'paused',
      tags: ['curated'],
      notifiedAt: new Date('2026-02-01T00:00:00Z'),
      fetchedAt: before.fetchedAt,
    });
    expect(after?.score).toBe(34.5); // the discovery score, when there is one
    expect(after?.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
  });

  it('keeps an enrichment that a later harvest did not compute', async () => {
    // Prepare
    const rows = signalsOf('keep_enrichment', 1).map((row) =>
      withFactoryRanks({ ...row, salience: 40, category: 'research', sentiment: 'positive' as const, urgency: 3 }),
    );
    await upsertSignals(db, rows);

    // Act: the same items, not yet classified on this run
    await upsertSignals(db, rows.map((row) => ({ ...row, salience: null, category: null, sentiment: null, urgency: null })));

    // Assess
    const [after] = await stored(db, 'keep_enrichment');
    expect(after).toMatchObject({ salience: 40, category: 'research', sentiment: 'positive', urgency: 3 });
  });

  it('stores a batch larger than 500 rows in one statement per 500', async () => {
    // Prepare
    const rows = signalsOf('big_batch', 1234);
    const { db: spy, statements } = recording(db);

    // Act
    const first = await upsertSignals(spy, rows);
    const second = await upsertSignals(spy, rows.map((row) => ({ ...row, engagement: { points: 1 } })));

    // Assess
    expect(UPSERT_BATCH_SIZE).toBe(500);
    expect(statements).toHaveLength(6);
    expect(first).toEqual({ inserted: 1234, updated: 0 });
    expect(second).toEqual({ inserted: 0, updated: 1234 });
    expect(await countOf(db, 'big_batch')).toBe(1234);
  });

  it('counts new and known rows apart in one call', async () => {
    // Prepare
    await upsertSignals(db, signalsOf('mixed', 5));

    // Act: five known, three new
    const result = await upsertSignals(db, signalsOf('mixed', 8));

    // Assess
    expect(result).toEqual({ inserted: 3, updated: 5 });
    expect(await countOf(db, 'mixed')).toBe(8);
  });

  it('stores a repeated item once, as its last occurrence', async () => {
    // Prepare
    const [row] = signalsOf('repeated', 1);
    if (row === undefined) throw new Error('no row');

    // Act
    const result = await upsertSignals(db, [row, { ...row, title: 'second' }, { ...row, title: 'third' }]);

    // Assess
    expect(result).toEqual({ inserted: 1, updated: 0 });
    expect((await stored(db, 'repeated')).map((s) => s.title)).toEqual(['third']);
  });

  it('lets the database fill in fetched_at and status when they are not given', async () => {
    // Prepare
    const { fetchedAt: _fetchedAt, status: _status, ...row } = makeSignal({ source: 'defaults' }, 9);
    const before = Date.now();

    // Act
    await upsertSignals(db, [row]);

    // Assess
    const [after] = await stored(db, 'defaults');
    expect(after?.status).toBe('active');
    expect(after?.fetchedAt.getTime()).toBeGreaterThan(before - 60_000);
  });

  it('does nothing for no rows', async () => {
    const { db: spy, statements } = recording(db);

    expect(await upsertSignals(spy, [])).toEqual({ inserted: 0, updated: 0 });
    expect(statements).toHaveLength(0);
  });

  it('stores text with quotes, unicode and SQL-looking content as data', async () => {
    const [row] = signalsOf('awkward_text', 1);
    if (row === undefined) throw new Error('no row');
    const title = "O'Reilly's \"quoted\" — ünïcödé 🚀 '); DROP TABLE signals; --";

    await upsertSignals(db, [{ ...row, title, tags: ['a,b', 'c"d', '{e}'], engagement: { 'weird "key"': 1 } }]);

    const [after] = await stored(db, 'awkward_text');
    expect(after).toMatchObject({ title, tags: ['a,b', 'c"d', '{e}'], engagement: { 'weird "key"': 1 } });
  });
});
