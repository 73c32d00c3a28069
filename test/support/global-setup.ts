// Runs once per `vitest run`: every real service the suite talks to must answer, or the whole run
// fails with a message that says how to start it. No suite is ever skipped for a missing service.
import { randomBytes } from 'node:crypto';
import { access, constants } from 'node:fs/promises';
import { connect } from 'node:net';
import { preparePgliteSnapshot } from './pglite-snapshot.js';
import { POSTGRES_TEMPLATE_ENV, preparePostgresTemplate, type PostgresTemplate } from './postgres-template.js';
import { removeSharedPackages, TEST_RUN_ENV } from './serverless-package.js';
import { services } from './services.js';

const HOW_TO_START = 'run `npm run services` (infra/local/ensure-services.sh) to install and start it';

function reachable(url: string, timeoutMs = 2000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port), timeout: timeoutMs });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

let postgresTemplate: PostgresTemplate | undefined;

export async function setup(): Promise<void> {
  const checks = [
    ['Redis', services.redisUrl],
    ['PostgreSQL', services.postgresUrl],
    ['Prometheus Pushgateway', services.pushgatewayUrl],
    ['PgBouncer', services.pgbouncerUrl],
    ['VictoriaMetrics', services.victoriaMetricsUrl],
  ] as const;
  const missing: string[] = [];
  for (const [name, url] of checks) {
    if (!(await reachable(url))) missing.push(`${name} is not reachable at ${new URL(url).host}`);
  }
  // The browser tests drive Debian's Chromium (no browser download): the package must be installed.
  try {
    await access(services.chromiumPath, constants.X_OK);
  } catch {
    missing.push(`Chromium is not installed at ${services.chromiumPath} (Debian package chromium; as root, npm run services installs it; else sudo apt-get install -y chromium)`);
  }
  if (missing.length > 0) throw new Error(`${missing.join('; ')}: ${HOW_TO_START}.`);
  // One after the other: PGlite's initdb holds this process's event loop for seconds, long enough
  // for the template's database connections to time out if they were opened meanwhile.
  postgresTemplate = await preparePostgresTemplate();
  try {
    await preparePgliteSnapshot();
  } catch (error) {
    await teardown(); // a template made for a run that will not start
    throw error;
  }
  // Test processes are forked after the set-up and inherit these.
  process.env[POSTGRES_TEMPLATE_ENV] = postgresTemplate.name;
  process.env[TEST_RUN_ENV] = randomBytes(6).toString('hex');
}

export async function teardown(): Promise<void> {
  await postgresTemplate?.drop();
  postgresTemplate = undefined;
  const runId = process.env[TEST_RUN_ENV];
  if (runId !== undefined) await removeSharedPackages(runId);
}
