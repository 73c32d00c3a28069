// The source-cursor repository on both drivers: a source's cursors load as a map by query, a save
// is one multi-row upsert that replaces the cursors it names and keeps the others, sources never
// see each other's, and query text with quotes or Unicode is data, never SQL.
import { beforeAll, expect, it } from 'vitest';
import { loadCursors, MAX_CURSORS_PER_SAVE, saveCursors } from '../../../../lib/db/source-cursors-repo.js';
import { sql, type Sql } from '../../../../lib/db/sql.js';
import type { Db, Queryable } from '../../../../lib/db/types.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';

/** `db`, counting the statements sent through it. */
function counting(db: Queryable): Queryable & { statements: Sql[] } {
  const statements: Sql[] = [];
  return {
    statements,
    query: <Row>(statement: Sql) => {
      statements.push(statement);
      return db.query<Row>(statement);
    },
  };
}

async function updatedAt(db: Queryable, source: string, query: string): Promise<Date | undefined> {
  const rows = await db.query<{ updatedAt: Date }>(sql`SELECT updated_at AS "updatedAt" FROM source_cursors WHERE source = ${source} AND query = ${query}`);
  return rows[0]?.updatedAt;
}

describeOnDrivers('the source-cursor repository on $driver', ({ open }) => {
  let db: Db;
  beforeAll(async () => { ({ db } = await open()); });

  it('loads nothing for a source that never saved a cursor', async () => {
    expect(await loadCursors(db, 'never')).toEqual(new Map());
  });

  it('saves every cursor of a source in one statement and loads them back by query', async () => {
    // Prepare
    const cursors = new Map([
      ['topic:llm', '2026-03-01T00:00:00Z'],
      ['', 'the only query of a source without queries'],
      ['language:rust stars:>50', '12345'],
    ]);
    const spy = counting(db);

    // Act
    await saveCursors(spy, 'cursors-save', cursors);

    // Assess
    expect(spy.statements).toHaveLength(1);
    expect(await loadCursors(db, 'cursors-save')).toEqual(cursors);
  });

  it('replaces the cursors it names, adds new ones, and keeps the rest', async () => {
    // Prepare
    await saveCursors(db, 'cursors-update', new Map([['a', '1'], ['b', '1']]));
    const before = await updatedAt(db, 'cursors-update', 'a');
    await db.query(sql`SELECT pg_sleep(0.01)`);

    // Act
    await saveCursors(db, 'cursors-update', new Map([['a', '2'], ['c', '1']]));

    // Assess
    expect(await loadCursors(db, 'cursors-update')).toEqual(new Map([['a', '2'], ['b', '1'], ['c', '1']]));
    expect((await updatedAt(db, 'cursors-update', 'a'))?.getTime()).toBeGreaterThan(before?.getTime() ?? Number.POSITIVE_INFINITY);
  });

  it("never mixes one source's cursors with another's", async () => {
    await saveCursors(db, 'cursors-one', new Map([['shared', 'one']]));
    await saveCursors(db, 'cursors-two', new Map([['shared', 'two']]));

    expect(await loadCursors(db, 'cursors-one')).toEqual(new Map([['shared', 'one']]));
    expect(await loadCursors(db, 'cursors-two')).toEqual(new Map([['shared', 'two']]));
  });

  it('keeps quotes, operators and Unicode in queries and cursors as data', async () => {
    const cursors = new Map([
      ["'); DROP TABLE source_cursors; --", 'x'],
      ['llm -is:retweet lang:en', '"1893"'],
      ['模型 ✓', 'ünïcødé'],
    ]);

    await saveCursors(db, 'cursors-hostile', cursors);

    expect(await loadCursors(db, 'cursors-hostile')).toEqual(cursors);
  });

  it('sends nothing for an empty map and refuses more cursors than one statement should carry', async () => {
    const spy = counting(db);

    await saveCursors(spy, 'cursors-empty', new Map());
    const tooMany = new Map(Array.from({ length: MAX_CURSORS_PER_SAVE + 1 }, (_, i) => [`q${String(i)}`, 'c'] as const));

    expect(spy.statements).toHaveLength(0);
    await expect(saveCursors(spy, 'cursors-many', tooMany)).rejects.toThrow(RangeError);
    expect(spy.statements).toHaveLength(0);
  });
});
