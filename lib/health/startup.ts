// GET /health/startup: initialisation finished — configuration valid and the database schema at
// the version this code expects (a deploy that skipped `npm run migrate` shows up here).
import { getConfig } from '../config.js';
import { getDb } from '../db/client.js';
import { currentVersion } from '../db/migrate.js';
import { EXPECTED_SCHEMA_VERSION } from '../db/schema-version.js';
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
    if (version === EXPECTED_SCHEMA_VERSION) return { status: 'healthy', message: `schema at ${version}` };
    return { status: 'unhealthy', message: `schema at ${version ?? 'none'}, expected ${EXPECTED_SCHEMA_VERSION}: run npm run migrate` };
  },
};

export async function startup(): Promise<HealthReport> {
  const components = await runChecks([configCheck, schemaCheck]);
  const { version, uptime_seconds, timestamp } = liveness();
  return { status: worst(components.map((c) => c.status)), version, uptime_seconds, components, timestamp };
}
