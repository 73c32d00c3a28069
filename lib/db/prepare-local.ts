// Local runs only (the local runtime, `npm run migrate`): opens the configured database and applies
// pending migrations. Lambdas never call this: deploy migrates before new code takes traffic.
import { getConfig } from '../config.js';
import { log } from '../log/index.js';
import { getDb } from './client.js';
import { migrate, type MigrationResult } from './migrate.js';
import { loadMigrations } from './migration-files.js';
import type { Db } from './types.js';

export async function openAndMigrate(): Promise<{ db: Db; result: MigrationResult }> {
  const config = getConfig();
  if (config.DATABASE_URL === undefined) {
    log.info('opening the embedded database (PGlite)', { dir: config.PGLITE_DIR, first_run_note: 'a new directory takes a few seconds' });
  }
  const db = await getDb();
  const result = await migrate(db, await loadMigrations());
  return { db, result };
}
