// Embedded driver for `npm start` with no DATABASE_URL: PGlite, real Postgres compiled to WASM,
// in-process and persisted under a directory. Imported lazily (and left out of Lambda bundles):
// it is megabytes of WASM that production never needs.
import type { PGlite } from '@electric-sql/pglite';
import { lockDirectory } from './dir-lock.js';
import type { Sql } from './sql.js';
import type { Db, Queryable, Session } from './types.js';

export interface PgliteOptions {
  /** Directory to persist to, or `memory://` for a throw-away database. */
  dataDir: string;
  /** A `dumpDataDir()` snapshot to start from (tests: skips the seconds-long initdb). */
  loadDataDir?: Blob;
}

async function runOn<Row>(target: Pick<PGlite, 'query'>, statement: Sql): Promise<Row[]> {
  const result = await target.query<Row>(statement.text, statement.values);
  return result.rows;
}

/** Wraps an open PGlite instance (one connection: a session is the database itself). */
export function wrapPglite(pglite: PGlite, onClose: () => void = () => undefined): Db {
  return {
    driver: 'pglite',
    query: (statement) => runOn(pglite, statement),
    transaction: (work) => pglite.transaction((tx) => work({ query: (statement) => runOn(tx, statement) } satisfies Queryable)),
    session: (work) =>
      work({
        query: (statement) => runOn(pglite, statement),
        exec: async (script) => {
          await pglite.exec(script);
        },
      } satisfies Session),
    close: async () => {
      await pglite.close();
      onClose();
    },
  };
}

export async function createPgliteDb(options: PgliteOptions): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  const release = options.dataDir.startsWith('memory://') ? () => undefined : lockDirectory(options.dataDir);
  try {
    const pglite = new PGlite(options.dataDir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
    await pglite.waitReady;
    return wrapPglite(pglite, release);
  } catch (error) {
    release();
    throw error;
  }
}

export type { Sql };
