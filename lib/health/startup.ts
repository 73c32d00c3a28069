// GET /health/startup: initialisation finished — configuration valid, the secret loaded (its keys
// hold the database URL and the keys: without it nothing else can pass) and the database schema at
// least at the version this code expects (a deploy that skipped `npm run migrate` shows up here).
// A newer schema is healthy: migrations are forward-only and expand before they contract, so the
// code of a rollback (`serverless rollback`) runs on the schema the newer release left.
import { getConfig } from '../config.js';
import { getDb } from '../db/client.js';
import { currentVersion } from '../db/migrate.js';
import { EXPECTED_SCHEMA_VERSION } from '../db/schema-version.js';
import { secretsCheck } from './checks.js';
import { liveness } from './live.js';
import { runChecks } from './run-checks.js';
import { worst, type HealthCheck, type HealthReport } from './types.js';

const configCheck: HealthCheck = {
  name: 'config',
  timeoutMs: 100,
  onTimeout: 'unhealthy',
  run() {
    getConfig();
    return Promise.resolve({ status: 'healthy', message: 'configuration is valid' });
  },
};

const schemaCheck: HealthCheck = {
  name: 'schema',
  timeoutMs: 3000,
  onTimeout: 'unhealthy',
  async run() {
    const version = await currentVersion(await getDb());
    // Versions are zero-padded numbers of equal width (0001, 0002…): string order is numeric order.
    if (version !== undefined && version !== null && version >= EXPECTED_SCHEMA_VERSION) {
      const note = version === EXPECTED_SCHEMA_VERSION ? '' : ` (newer than this code's ${EXPECTED_SCHEMA_VERSION}: a rollback)`;
      return { status: 'healthy', message: `schema at ${version}${note}` };
    }
    return { status: 'unhealthy', message: `schema at ${version ?? 'none'}, expected ${EXPECTED_SCHEMA_VERSION}: run npm run migrate` };
  },
};

export async function startup(): Promise<HealthReport> {
  const components = await runChecks([configCheck, secretsCheck, schemaCheck]);
  const { version, uptime_seconds, timestamp } = liveness();
  return { status: worst(components.map((c) => c.status)), version, uptime_seconds, components, timestamp };
}
