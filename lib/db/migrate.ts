// Forward-only migrations: ordered .sql files, each applied once in its own transaction, recorded
// in schema_migrations with a checksum, all under a Postgres advisory lock so the many Lambdas or
// deploy jobs that may start together apply each migration exactly once.
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

async function applyOne(session: Session, migration: Migration): Promise<void> {
  await session.exec('BEGIN');
  try {
    await session.exec(migration.sql);
    await session.query(
      sql`INSERT INTO schema_migrations (version, name, checksum) VALUES (${migration.version}, ${migration.name}, ${checksum(migration.sql)})`,
    );
    await session.exec('COMMIT');
  } catch (error) {
    await session.exec('ROLLBACK');
    throw new Error(`migration ${migration.version}_${migration.name} failed: ${(error as Error).message}`, { cause: error });
  }
}

export async function migrate(db: Db, migrations: readonly Migration[]): Promise<MigrationResult> {
  const ordered = [...migrations].sort((a, b) => a.version.localeCompare(b.version));
  return db.session(async (session) => {
    await session.query(sql`SELECT pg_advisory_lock(${LOCK_KEY})`);
    try {
      await session.exec(CREATE_LEDGER);
      const rows = await session.query<{ version: string; checksum: string }>(sql`SELECT version, checksum FROM schema_migrations`);
      const done = new Map(rows.map((row) => [row.version, row.checksum]));
      const applied: string[] = [];
      for (const migration of ordered) {
        const recorded = done.get(migration.version);
        if (recorded !== undefined) {
          // Forward-only: an applied migration is never edited; a changed file is a mistake.
          if (recorded !== checksum(migration.sql)) {
            throw new Error(`migration ${migration.version}_${migration.name} was changed after it was applied; add a new migration instead`);
          }
          continue;
        }
        await applyOne(session, migration);
        applied.push(`${migration.version}_${migration.name}`);
        log.info('migration applied', { version: migration.version, name: migration.name });
      }
      return { applied, alreadyApplied: done.size };
    } finally {
      await session.query(sql`SELECT pg_advisory_unlock(${LOCK_KEY})`);
    }
  });
}

/** The latest version recorded in the database, or undefined when none is. */
export async function currentVersion(db: Db): Promise<string | undefined> {
  const rows = await db.query<{ version: string | null }>(
    sql`SELECT max(version) AS version FROM schema_migrations`,
  );
  return rows[0]?.version ?? undefined;
}
