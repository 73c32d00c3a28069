// A bench child's database: a fresh Postgres schema on the machine's server (through the Neon
// driver, as production), disposed of and every pool closed once the work is done, so the child
// process can exit on its own.
import type { Db } from '../../lib/db/types.js';
import { closeDatabases, createPostgresDatabase } from '../support/databases.js';

/** Runs `work` on a fresh Postgres database and returns what it returns. */
export async function onPostgres<T>(work: (db: Db) => Promise<T>): Promise<T> {
  try {
    const database = await createPostgresDatabase();
    try {
      return await work(database.db);
    } finally {
      await database.dispose();
    }
  } finally {
    await closeDatabases();
  }
}
