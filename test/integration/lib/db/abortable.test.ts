// A Queryable that stops waiting at a signal's abort, on both drivers: an aborted signal sends
// nothing and rejects with its reason; a query still waiting (here behind a transaction holding the
// table) is abandoned at the abort with the reason, and the database serves the next query; a
// signal that never aborts changes nothing.
import { beforeAll, expect, it } from 'vitest';
import { abortable } from '../../../../lib/db/abortable.js';
import { sql } from '../../../../lib/db/sql.js';
import type { Db } from '../../../../lib/db/types.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { holdTable } from '../../../support/hold-table.js';

class Deadline extends Error {}

describeOnDrivers('abortable on $driver', ({ open }) => {
  let db: Db;

  beforeAll(async () => {
    ({ db } = await open());
  });

  it('sends nothing and rejects with the reason when the signal has already aborted', async () => {
    // Arrange
    const reason = new Deadline('too late');

    // Act
    const query = abortable(db, AbortSignal.abort(reason)).query(sql`CREATE TABLE abort_probe (x int)`);

    // Assess: the reason itself, and no table was made
    await expect(query).rejects.toBe(reason);
    const [row] = await db.query<{ exists: boolean }>(sql`SELECT to_regclass('abort_probe') IS NOT NULL AS "exists"`);
    expect(row?.exists).toBe(false);
  });

  it('stops waiting for a query at the abort, and the database serves the next one', async () => {
    // Arrange: a transaction holds the signals table, so a read of it waits
    const controller = new AbortController();
    const reason = new Deadline('out of time');
    const table = await holdTable(db, 'signals');

    // Act
    const read = abortable(db, controller.signal).query(sql`SELECT count(*)::int AS n FROM signals`);
    const started = Date.now();
    setTimeout(() => controller.abort(reason), 50);
    const outcome = await read.then(() => 'answered', (error: unknown) => error);
    const waited = Date.now() - started;
    await table.release();

    // Assess
    expect(outcome).toBe(reason);
    expect(waited).toBeLessThan(1_000);
    const rows = await abortable(db, controller.signal).query(sql`SELECT 1 AS one`).catch((error: unknown) => error);
    expect(rows).toBe(reason);
    expect(await db.query<{ one: number }>(sql`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
  });

  it('returns the rows when the signal does not abort', async () => {
    // Arrange
    const controller = new AbortController();

    // Act
    const rows = await abortable(db, controller.signal).query<{ n: number }>(sql`SELECT 41 + 1 AS n`);

    // Assess
    expect(rows).toEqual([{ n: 42 }]);
  });
});
