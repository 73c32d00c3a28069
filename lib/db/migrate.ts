// Forward-only migrations: ordered .sql files, each applied once in its own transaction, recorded
// in schema_migrations with a checksum. Each transaction holds a transaction-level advisory lock and
// re-reads the ledger under it, so the many Lambdas or deploy jobs that may start together apply
// each migration exactly once. Transaction-level, not session-level: behind a transaction-mode
// pooler (Neon's `-pooler` endpoint) a session's statements may run on different server
// connections, so a session lock could be taken on one and never released on another.
import { createHash } from 'node:crypto';
import { log } from '../log/index.js';
import { sql } from './sql.js';
import type { Db, Session } from './types.js';

export interface Migration {
  /** Sortable version, the file name's numeric prefix: `0001`. */
  version: string;
  /** The rest of the file name: `initial_schema`. */
  name: string;
  sql: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

/** Any 64-bit constant works; this one is "signal h" in ASCII, so it is recognisable in pg_locks. */
const LOCK_KEY = sql`7526765127235723368`;

const CREATE_LEDGER = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    text PRIMARY KEY,
  name       text NOT NULL,
  checksum   text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

export function checksum(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Runs `work` in a transaction holding the migration lock. No statement timeout inside: a
 * migration (an index on a large table) may rightly take longer than a request's query.
 */
async function underLock<T>(session: Session, work: () => Promise<T>): Promise<T> {
  await session.exec('BEGIN; SET LOCAL statement_timeout = 0');
  try {
    await session.query(sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
    const result = await work();
    await session.exec('COMMIT');
    return result;
  } catch (error) {
    await session.exec('ROLLBACK');
    throw error;
  }
}

function checkUnchanged(migration: Migration, recorded: string): void {
  // Forward-only: an applied migration is never edited; a changed file is a mistake.
  if (recorded !== checksum(migration.sql)) {
    throw new Error(`migration ${migration.version}_${migration.name} was changed after it was applied; add a new migration instead`);
  }
}

/** Applies `migration` unless another runner did meanwhile (re-read under the lock). */
async function applyOne(session: Session, migration: Migration): Promise<boolean> {
  return underLock(session, async () => {
    const rows = await session.query<{ checksum: string }>(sql`SELECT checksum FROM schema_migrations WHERE version = ${migration.version}`);
    const recorded = rows[0]?.checksum;
    if (recorded !== undefined) {
      checkUnchanged(migration, recorded);
      return false;
    }
    try {
      await session.exec(migration.sql);
    } catch (error) {
      throw new Error(`migration ${migration.version}_${migration.name} failed: ${(error as Error).message}`, { cause: error });
    }
    await session.query(
      sql`INSERT INTO schema_migrations (version, name, checksum) VALUES (${migration.version}, ${migration.name}, ${checksum(migration.sql)})`,
    );
    return true;
  });
}

export async function migrate(db: Db, migrations: readonly Migration[]): Promise<MigrationResult> {
  const ordered = [...migrations].sort((a, b) => a.version.localeCompare(b.version));
  return db.session(async (session) => {
    // Under the lock too: two first runs racing on CREATE TABLE IF NOT EXISTS would collide.
    await underLock(session, () => session.exec(CREATE_LEDGER));
    const rows = await session.query<{ version: string; checksum: string }>(sql`SELECT version, checksum FROM schema_migrations`);
    const done = new Map(rows.map((row) => [row.version, row.checksum]));
    const applied: string[] = [];
    for (const migration of ordered) {
      const recorded = done.get(migration.version);
      if (recorded !== undefined) {
        checkUnchanged(migration, recorded);
        continue;
      }
      if (await applyOne(session, migration)) {
        applied.push(`${migration.version}_${migration.name}`);
        log.info('migration applied', { version: migration.version, name: migration.name });
      }
    }
    return { applied, alreadyApplied: done.size };
  });
}

/** The latest version recorded in the database, or undefined when none is. */
export async function currentVersion(db: Db): Promise<string | undefined> {
  const rows = await db.query<{ version: string | null }>(
    sql`SELECT max(version) AS version FROM schema_migrations`,
  );
  return rows[0]?.version ?? undefined;
}
