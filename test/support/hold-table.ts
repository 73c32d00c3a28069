// Another transaction holding a table (ACCESS EXCLUSIVE), so that a query of it waits for real,
// on either driver: what the tests of a deadline need to see a query abandoned mid-wait.
import { raw, sql } from '../../lib/db/sql.js';
import type { Db } from '../../lib/db/types.js';

export interface HeldTable {
  /** Ends the holding transaction (committed) and resolves when it has. */
  release(): Promise<void>;
}

/** Resolves once `table` (one of ours, never input) is locked by a transaction of its own on `db`. */
export async function holdTable(db: Db, table: string): Promise<HeldTable> {
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = (): void => undefined;
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const holder = db.transaction(async (tx) => {
    await tx.query(sql`LOCK TABLE ${raw(table)} IN ACCESS EXCLUSIVE MODE`);
    locked();
    await held;
  });
  await Promise.race([isLocked, holder]);
  return {
    release: async () => {
      release();
      await holder;
    },
  };
}
