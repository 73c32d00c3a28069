// This container's database, created on first use and reused across warm invocations: Neon when
// DATABASE_URL is set, embedded PGlite otherwise (refused inside Lambda, where it would be lost).
// Every Db handed out is instrumented (db_query_duration_seconds, db_queries_total).
import { getConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { instrumentDb } from './instrumented.js';
import type { Db } from './types.js';

let pending: Promise<Db> | undefined;

async function open(): Promise<Db> {
  const config = getConfig();
  if (config.DATABASE_URL !== undefined) {
    const { createNeonDb } = await import('./neon.js');
    return createNeonDb({
      connectionString: config.DATABASE_URL,
      max: config.DB_POOL_MAX,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
      wsProxy: config.NEON_WS_PROXY,
    });
  }
  if (config.STAGE !== 'local') {
    throw new ConfigError(`DATABASE_URL is required on stage ${config.STAGE}: the embedded database is for local runs only`);
  }
  const { createPgliteDb } = await import('./pglite.js');
  return createPgliteDb({ dataDir: config.PGLITE_DIR });
}

/** The shared database of this container. */
export function getDb(): Promise<Db> {
  pending ??= open().then(instrumentDb, (error: unknown) => {
    pending = undefined; // let the next request try again
    throw error;
  });
  return pending;
}

/**
 * Installs a database (tests, the local runtime) in place of the configured one. A promise is
 * accepted so the local runtime can serve while the embedded database is still opening: requests
 * that need it wait for it, the others (health, 404s) do not.
 */
export function setDb(db: Db | Promise<Db>): void {
  const installed = Promise.resolve(db).then(instrumentDb);
  // A database that fails to open fails the requests that await it; unawaited, it must not crash.
  installed.catch(() => undefined);
  pending = installed;
}

/** Closes and forgets the shared database (tests, shutdown). */
export async function resetDb(): Promise<void> {
  const current = pending;
  pending = undefined;
  if (current) await (await current).close();
}
