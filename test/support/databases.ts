// Fresh, migrated databases for tests, one per test file and driver, so files run in parallel
// without sharing rows: real Postgres through the Neon driver (a new database each time, copied
// from the migrated template the global setup prepares, behind the neon-bridge) and PGlite (loaded
// from the migrated snapshot the global setup prepares).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { startNeonBridge, type NeonBridge } from '../../infra/local/neon-bridge.js';
import { migrate } from '../../lib/db/migrate.js';
import { loadMigrations } from '../../lib/db/migration-files.js';
import { createNeonDb } from '../../lib/db/neon.js';
import { createPgliteDb } from '../../lib/db/pglite.js';
import { raw, sql } from '../../lib/db/sql.js';
import type { Db, Driver } from '../../lib/db/types.js';
import { neonBridgeDatabaseUrl } from './neon.js';
import { PGLITE_EMPTY_SNAPSHOT, PGLITE_SNAPSHOT } from './pglite-snapshot.js';
import { postgresTemplateName } from './postgres-template.js';

const run = promisify(execFile);

export interface TestDatabase {
  db: Db;
  /** Neon only: the connection string and proxy, for a process that opens its own connection. */
  url?: string;
  wsProxy?: string;
  /** Closes the connection and drops what was created. */
  dispose(): Promise<void>;
}

let bridge: NeonBridge | undefined;

async function sharedBridge(): Promise<NeonBridge> {
  bridge ??= await startNeonBridge();
  return bridge;
}

/**
 * A new database on the machine's Postgres, migrated, reached through the Neon driver. Under
 * vitest it is a copy of the run's migrated template; elsewhere (benches) migrated here.
 */
export async function createPostgresDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const proxy = await sharedBridge();
  const wsProxy = `${proxy.host}:${String(proxy.port)}/v2`;
  const name = `sh_test_${randomBytes(6).toString('hex')}`;
  const admin = await createNeonDb({ connectionString: neonBridgeDatabaseUrl('test'), max: 1, statementTimeoutMs: 30_000, wsProxy });
  const template = options.migrated === false ? undefined : postgresTemplateName();
  // CREATE DATABASE takes no parameters; the names are ours (hex), never input.
  await admin.query(template === undefined ? sql`CREATE DATABASE ${raw(name)}` : sql`CREATE DATABASE ${raw(name)} TEMPLATE ${raw(template)}`);
  const url = neonBridgeDatabaseUrl(name);
  const db = await createNeonDb({ connectionString: url, max: 2, statementTimeoutMs: 30_000, wsProxy });
  if (options.migrated !== false && template === undefined) await migrate(db, await loadMigrations());
  return {
    db,
    url,
    wsProxy,
    dispose: async () => {
      await db.close();
      await admin.query(sql`DROP DATABASE IF EXISTS ${raw(name)} WITH (FORCE)`);
      await admin.close();
    },
  };
}

/**
 * A PGlite data directory on disk at `dir` (new or empty), migrated: what `npm start` or `npm run
 * invoke` leaves after a first run, made by unpacking the snapshot instead of a first run's initdb
 * and migrations (seconds, in the child process that opens it).
 */
export async function seedPgliteDirectory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await run('tar', ['-xf', PGLITE_SNAPSHOT, '-C', dir]);
}

/** An in-memory PGlite, migrated (from the snapshot) unless `migrated: false` (then empty). */
export async function createPgliteDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const snapshot = options.migrated === false ? PGLITE_EMPTY_SNAPSHOT : PGLITE_SNAPSHOT;
  const db = await createPgliteDb({ dataDir: 'memory://', loadDataDir: new Blob([await readFile(snapshot)]) });
  return { db, dispose: () => db.close() };
}

export const DRIVERS: ReadonlyArray<{ driver: Driver; create: (options?: { migrated?: boolean }) => Promise<TestDatabase> }> = [
  { driver: 'pglite', create: createPgliteDatabase },
  { driver: 'neon', create: createPostgresDatabase },
];

/** Stops the shared bridge (afterAll of a file that used Postgres). */
export async function closeDatabases(): Promise<void> {
  await bridge?.close();
  bridge = undefined;
}
