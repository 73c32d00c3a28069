// The set-up every end-to-end suite over the real serverless.yml shares: the environment the suite
// asks for (restored afterwards, with the configuration re-read), a migrated PGlite database as
// this process's database, and the local runtime serving every function of serverless.yml on a
// free port, schedules off. One start and one stop per suite, in beforeAll and afterAll.
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.js';
import { serverlessYmlPath } from '../../infra/local/settings.js';
import { resetConfig } from '../../lib/config.js';
import { resetDb, setDb } from '../../lib/db/client.js';
import type { Db } from '../../lib/db/types.js';
import { createPgliteDatabase, type TestDatabase } from './databases.js';

export interface E2eRuntimeOptions {
  /** Variables to set (a string) or remove (undefined) before the configuration is read. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Fills the database before the runtime serves it. */
  seed?: (db: Db) => Promise<unknown>;
}

export interface E2eRuntime {
  /** The runtime's base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  runtime: LocalRuntime;
  database: TestDatabase;
  /** Stops the runtime, closes the database and restores the environment and configuration. */
  close(): Promise<void>;
}

/** Time for beforeAll to migrate PGlite and start the runtime on a busy 2-core machine. */
export const E2E_START_TIMEOUT_MS = 60_000;

export async function startE2eRuntime(options: E2eRuntimeOptions = {}): Promise<E2eRuntime> {
  const saved = { ...process.env };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetConfig();
  const database = await createPgliteDatabase();
  await options.seed?.(database.db);
  setDb(database.db);
  const runtime = await startLocalRuntime({ configPath: serverlessYmlPath, port: 0, schedules: false, database: false });
  return {
    url: runtime.url,
    runtime,
    database,
    async close() {
      await runtime.close();
      await resetDb(); // closes the database
      process.env = saved;
      resetConfig();
    },
  };
}
