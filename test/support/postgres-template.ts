// A migrated PostgreSQL database made once per `vitest run` by the global setup, that every test
// database is copied from (`CREATE DATABASE … TEMPLATE`): a copy takes a fraction of a second,
// running every migration through the Neon driver and bridge about a second per test file. The
// name is random per run, so runs on the same server (several checkouts, CI) never share it.
import { randomBytes } from 'node:crypto';
import { startNeonBridge } from '../../infra/local/neon-bridge.js';
import { migrate } from '../../lib/db/migrate.js';
import { loadMigrations } from '../../lib/db/migration-files.js';
import { createNeonDb } from '../../lib/db/neon.js';
import { raw, sql } from '../../lib/db/sql.js';
import type { Db } from '../../lib/db/types.js';
import { neonBridgeDatabaseUrl } from './neon.js';

/** Where the global setup leaves the template's name for the test processes (they inherit it). */
export const POSTGRES_TEMPLATE_ENV = 'SH_TEST_POSTGRES_TEMPLATE';

export interface PostgresTemplate {
  name: string;
  /** Drops the template (end of the run). */
  drop(): Promise<void>;
}

/** The template named by the global setup, when this process runs under it. */
export function postgresTemplateName(): string | undefined {
  const name = process.env[POSTGRES_TEMPLATE_ENV];
  // Spliced into CREATE DATABASE (no parameters there): accept only the names we make.
  return name !== undefined && /^sh_template_[0-9a-f]{12}$/.test(name) ? name : undefined;
}

/** Connections to `name` end: CREATE DATABASE refuses to copy a template anyone is connected to. */
async function disconnectAll(admin: Db, name: string): Promise<void> {
  await admin.query(sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${name} AND pid <> pg_backend_pid()`);
}

/** Creates and migrates the template through the Neon driver, as test databases used to be. */
export async function preparePostgresTemplate(): Promise<PostgresTemplate> {
  const bridge = await startNeonBridge();
  const wsProxy = `${bridge.host}:${String(bridge.port)}/v2`;
  const name = `sh_template_${randomBytes(6).toString('hex')}`;
  const admin = await createNeonDb({ connectionString: neonBridgeDatabaseUrl('test'), max: 1, statementTimeoutMs: 30_000, wsProxy });
  try {
    // The name is ours (hex), never input.
    await admin.query(sql`CREATE DATABASE ${raw(name)}`);
    try {
      const db = await createNeonDb({ connectionString: neonBridgeDatabaseUrl(name), max: 1, statementTimeoutMs: 30_000, wsProxy });
      try {
        await migrate(db, await loadMigrations());
      } finally {
        await db.close();
      }
      await disconnectAll(admin, name);
    } catch (error) {
      await admin.query(sql`DROP DATABASE IF EXISTS ${raw(name)} WITH (FORCE)`); // no half-made template left behind
      throw error;
    }
  } finally {
    await admin.close();
    await bridge.close();
  }
  return {
    name,
    drop: async () => {
      const bridgeAtEnd = await startNeonBridge();
      const adminAtEnd = await createNeonDb({
        connectionString: neonBridgeDatabaseUrl('test'),
        max: 1,
        statementTimeoutMs: 30_000,
        wsProxy: `${bridgeAtEnd.host}:${String(bridgeAtEnd.port)}/v2`,
      });
      try {
        await adminAtEnd.query(sql`DROP DATABASE IF EXISTS ${raw(name)} WITH (FORCE)`);
      } finally {
        await adminAtEnd.close();
        await bridgeAtEnd.close();
      }
    },
  };
}
