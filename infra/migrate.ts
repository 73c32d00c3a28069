// `npm run migrate`: applies pending migrations in infra/migrations/ to DATABASE_URL (Neon in the
// cloud; run it before `serverless deploy` shifts traffic), or to the embedded PGlite when unset.
import { resetDb } from '../lib/db/client.js';
import { openAndMigrate } from '../lib/db/prepare-local.js';

try {
  const { db, result } = await openAndMigrate();
  process.stdout.write(
    `${JSON.stringify({ driver: db.driver, applied: result.applied, already_applied: result.alreadyApplied })}\n`,
  );
} catch (error) {
  process.stderr.write(`migrate failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await resetDb();
}
