// This container's database, created on first use and reused across warm invocations: Neon when
// DATABASE_URL is set, embedded PGlite otherwise (refused inside Lambda, where it would be lost).
// Every Db handed out is instrumented (db_query_duration_seconds, db_queries_total), and a database
// that fails to open is forgotten, so the next caller tries again (never broken until a restart).
import { getConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { toDbError } from './errors.js';
import { instrumentDb } from './instrumented.js';
import type { Db } from './types.js';

let pending: Promise<Db> | undefined;

/** The configured database: Neon when DATABASE_URL is set, else PGlite (local stage only). */
export async function openConfiguredDb(): Promise<Db> {
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

/** How the shared database is opened: the configured one, or what `setDbOpener` installed. */
let opener: () => Promise<Db> = openConfiguredDb;

/**
 * `opening` installed as the shared database. When it fails, its callers get the failure as one
 * of our errors (a refused database: 503) and it is forgotten, so the next call opens again.
 */
function install(opening: Promise<Db>): Promise<Db> {
  const installed = opening.then(instrumentDb, (error: unknown) => {
    if (pending === installed) pending = undefined; // let the next request try again
    throw toDbError(error);
  });
  // A database that fails to open fails the requests that await it; unawaited, it must not crash.
  installed.catch(() => undefined);
  pending = installed;
  return installed;
}

/** The shared database of this container. */
export function getDb(): Promise<Db> {
  return pending ?? install(opener());
}

/**
 * Installs a database (tests, the local runtime) in place of the configured one. A promise is
 * accepted so the local runtime can serve while the embedded database is still opening: requests
 * that need it wait for it, the others (health, 404s) do not. If it fails to open, the next
 * `getDb` opens through the opener (default: the configured database).
 */
export function setDb(db: Db | Promise<Db>): void {
  void install(Promise.resolve(db)); // failures are handled inside; callers of getDb see them
}

/**
 * Replaces how the shared database is opened (the local runtime: open and migrate), and opens it
 * now. A failed open is retried by the next `getDb`, so a database that was down when the
 * runtime started is used once it is back.
 */
export function setDbOpener(open: () => Promise<Db>): Promise<Db> {
  opener = open;
  return install(open());
}

/** Closes and forgets the shared database (tests, shutdown). A database that never opened has nothing to close. */
export async function resetDb(): Promise<void> {
  const current = pending;
  pending = undefined;
  opener = openConfiguredDb;
  if (current === undefined) return;
  let db: Db;
  try {
    db = await current;
  } catch {
    return;
  }
  await db.close();
}
