// One describe block per database driver (PGlite, then Postgres through the Neon driver), so a
// repository's tests are written once and run on both. Every database a block opens is closed
// after that block, and the shared Neon bridge after the Postgres one.
import { afterAll, describe } from 'vitest';
import type { Driver } from '../../lib/db/types.js';
import { closeDatabases, DRIVERS, type TestDatabase } from './databases.js';

export interface DriverDatabases {
  readonly driver: Driver;
  /** A fresh database on this driver, migrated unless `migrated: false`; closed after the block. */
  open: (options?: { migrated?: boolean }) => Promise<TestDatabase>;
}

/** `describe(title, body)` once per driver; `$driver` in the title names it. */
export function describeOnDrivers(title: string, body: (databases: DriverDatabases) => void): void {
  describe.each(DRIVERS)(title, ({ driver, create }) => {
    const opened: TestDatabase[] = [];
    afterAll(async () => {
      await Promise.all(opened.map((database) => database.dispose()));
      if (driver === 'neon') await closeDatabases();
    });
    body({
      driver,
      open: async (options) => {
        const database = await create(options);
        opened.push(database);
        return database;
      },
    });
  });
}
