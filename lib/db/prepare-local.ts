// Local runs only (the local runtime, `npm run migrate`): opens the configured database and applies
// pending migrations. Lambdas never call this: deploy migrates before new code takes traffic.
import { getConfig } from '../config.js';
import { log } from '../log/index.js';
import { getDb, openConfiguredDb } from './client.js';
import { migrate, type MigrationResult } from './migrate.js';
import { loadMigrations } from './migration-files.js';
import type { Db } from './types.js';

function noteEmbedded(): void {
  const config = getConfig();
  if (config.DATABASE_URL === undefined) {
    log.info('opening the embedded database (PGlite)', { dir: config.PGLITE_DIR, first_run_note: 'a new directory takes a few seconds' });
  }
}

export async function openAndMigrate(): Promise<{ db: Db; result: MigrationResult }> {
  noteEmbedded();
  const db = await getDb();
  const result = await migrate(db, await loadMigrations());
  return { db, result };
}

/**
 * A new connection to the configured database, migrated; closed again when the migration fails
 * (a database that is down), so a retry starts clean and nothing is left open to fail at exit.
 * The local runtime opens through this (lib/db/client.ts setDbOpener) until one attempt succeeds.
 */
export async function openMigratedDb(): Promise<{ db: Db; result: MigrationResult }> {
  noteEmbedded();
  const db = await openConfiguredDb();
  try {
    return { db, result: await migrate(db, await loadMigrations()) };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
