// The probes against real dependencies: the database through the Neon driver (and then with its
// connection path gone), Redis through the Upstash bridge (and then with nothing listening).
import { readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../../functions/health.js';
import { buildHttpEvent } from '../../../infra/local/api-gateway-event.js';
import { createLambdaContext } from '../../../infra/local/lambda-context.js';
import { startNeonBridge } from '../../../infra/local/neon-bridge.js';
import { startUpstashBridge, type UpstashBridge } from '../../../infra/local/upstash-bridge.js';
import { resetConfig } from '../../../lib/config.js';
import { resetDb, setDb } from '../../../lib/db/client.js';
import { MIGRATIONS_DIR } from '../../../lib/db/migration-files.js';
import { createNeonDb } from '../../../lib/db/neon.js';
import { EXPECTED_SCHEMA_VERSION } from '../../../lib/db/schema-version.js';
import { sql } from '../../../lib/db/sql.js';
import { resetReadinessCache } from '../../../lib/health/ready.js';
import { resetDefaultLimiter } from '../../../lib/ratelimit/default-limiter.js';
import { clearSecrets } from '../../../lib/secrets.js';
import { createPgliteDatabase, createPostgresDatabase, closeDatabases, type TestDatabase } from '../../support/databases.js';
import { neonBridgeDatabaseUrl } from '../../support/neon.js';
import { services } from '../../support/services.js';
import { startDelayProxy } from '../../support/tcp-faults.js';

interface Report {
  status: string;
  components: Array<{ name: string; status: string; message: string; check_duration_ms: number }>;
}

async function probe(path: string): Promise<{ status: number; body: Report }> {
  const event = buildHttpEvent({ method: 'GET', url: path, headers: {}, body: Buffer.alloc(0), sourceIp: '127.0.0.1', routeKey: `ANY ${path}`, pathParameters: {}, domainName: 'localhost' });
  const result = await handler(event, createLambdaContext({ functionName: 'health', timeoutSeconds: 6, memorySize: 256, region: 'us-east-1' }));
  return { status: result.statusCode ?? 0, body: JSON.parse(result.body ?? '{}') as Report };
}

function component(report: Report, name: string): Report['components'][number] | undefined {
  return report.components.find((c) => c.name === name);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the health probes', () => {
  let database: TestDatabase;
  let upstash: UpstashBridge;
  const saved = { ...process.env };

  beforeAll(async () => {
    database = await createPostgresDatabase();
    upstash = await startUpstashBridge({ token: 'health-test-token' });
  }, 60_000);

  afterEach(() => {
    process.env = { ...saved };
    resetConfig();
    resetDefaultLimiter();
    resetReadinessCache();
  });

  afterAll(async () => {
    await resetDb();
    await upstash.close();
    await database.dispose();
    await closeDatabases();
  });

  it('keep the expected schema version equal to the newest migration file', async () => {
    const files = (await readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith('.sql')).sort();
    expect(files.at(-1)?.slice(0, 4)).toBe(EXPECTED_SCHEMA_VERSION);
  });

  it('report ready, healthy, with every component, when the database and Redis answer', async () => {
    process.env.UPSTASH_REDIS_REST_URL = upstash.url;
    process.env.UPSTASH_REDIS_REST_TOKEN = upstash.token;
    resetConfig();
    setDb(database.db);

    const { status, body } = await probe('/health/ready');

    expect(status).toBe(200);
    expect(body.status).toBe('healthy');
    expect(body.components.map((c) => c.name).sort()).toEqual(['database', 'memory', 'pushgateway', 'redis', 'secrets', 'tmp_space']);
    expect(component(body, 'redis')?.status).toBe('healthy');
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|localhost|health-test-token/);
  });

  it('report startup healthy when the schema is at the expected version', async () => {
    setDb(database.db);

    const { status, body } = await probe('/health/startup');

    expect(status).toBe(200);
    expect(component(body, 'schema')?.message).toContain(EXPECTED_SCHEMA_VERSION);
  });

  it('report startup unhealthy while the secret cannot be loaded, naming the component, not the secret', async () => {
    // Prepare: a secret to load from a Secrets Manager endpoint nothing answers on
    setDb(database.db);
    Object.assign(process.env, {
      SECRETS_ID: 'signal-harvester/startup-test',
      SECRETS_ENDPOINT: `http://127.0.0.1:${String(await closedPort())}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    resetConfig();
    try {
      // Act
      const { status, body } = await probe('/health/startup');
      const live = await probe('/health/live');

      // Assess: startup says which component failed; liveness needs no secret
      expect(status).toBe(503);
      expect(component(body, 'secrets')?.status).toBe('unhealthy');
      expect(component(body, 'config')?.status).toBe('healthy');
      expect(live.status).toBe(200);
    } finally {
      clearSecrets();
    }
  });

  it('report startup healthy on a newer schema (a rollback) and unhealthy on an older one (a missed migrate)', async () => {
    // Prepare: a schema one migration ahead of this code, then one migration behind it
    const rolledBack = await createPgliteDatabase();
    const behind = await createPgliteDatabase();
    await rolledBack.db.query(sql`INSERT INTO schema_migrations (version, name, checksum) VALUES ('9999', 'from_the_future', 'x')`);
    await behind.db.query(sql`DELETE FROM schema_migrations WHERE version = ${EXPECTED_SCHEMA_VERSION}`);
    try {
      // Act
      setDb(rolledBack.db);
      const newer = await probe('/health/startup');
      setDb(behind.db);
      const older = await probe('/health/startup');

      // Assess
      expect(newer.status).toBe(200);
      expect(component(newer.body, 'schema')?.message).toMatch(/schema at 9999 \(newer than this code's \d{4}: a rollback\)/);
      expect(older.status).toBe(503);
      expect(component(older.body, 'schema')?.message).toContain(`expected ${EXPECTED_SCHEMA_VERSION}: run npm run migrate`);
    } finally {
      await Promise.all([rolledBack.dispose(), behind.dispose()]);
    }
  });

  it('report an unreachable Pushgateway as degraded, a reachable one as healthy', async () => {
    setDb(database.db);
    process.env.PUSHGATEWAY_URL = services.pushgatewayUrl;
    resetConfig();
    const up = await probe('/health/ready');
    resetReadinessCache();
    process.env.PUSHGATEWAY_URL = `http://127.0.0.1:${String(await closedPort())}`;
    resetConfig();

    const down = await probe('/health/ready');

    expect(component(up.body, 'pushgateway')?.status).toBe('healthy');
    expect(down.status).toBe(200);
    expect(component(down.body, 'pushgateway')?.status).toBe('degraded');
  });

  it('report Redis down as degraded, still 200', async () => {
    process.env.UPSTASH_REDIS_REST_URL = `http://127.0.0.1:${String(await closedPort())}`;
    process.env.UPSTASH_REDIS_REST_TOKEN = 'nobody';
    resetConfig();
    setDb(database.db);

    const { status, body } = await probe('/health/ready');

    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(component(body, 'redis')?.status).toBe('degraded');
  });

  it('report Redis degraded when its PING is slower than the rate limiter’s budget (a real slow link), healthy within it', async () => {
    // Prepare: a proxy that holds every chunk sent to the bridge for 40 ms; the limiter's budget around it.
    const proxy = await startDelayProxy(upstash.url, 40);
    try {
      process.env.UPSTASH_REDIS_REST_URL = proxy.url;
      process.env.UPSTASH_REDIS_REST_TOKEN = upstash.token;
      process.env.RATE_LIMIT_REDIS_TIMEOUT_MS = '20';
      resetConfig();
      setDb(database.db);

      // Act
      const slow = await probe('/health/ready');
      process.env.RATE_LIMIT_REDIS_TIMEOUT_MS = '1000';
      resetConfig();
      resetDefaultLimiter();
      resetReadinessCache();
      const within = await probe('/health/ready');

      // Assess: the limiter of this container never decided anything, yet Redis is judged by what the limiter would see.
      expect(slow.status).toBe(200);
      expect(slow.body.status).toBe('degraded');
      expect(component(slow.body, 'redis')?.status).toBe('degraded');
      expect(component(slow.body, 'redis')?.message).toMatch(/^Redis PING took \d+ ms, over the rate limiter's 20 ms budget/);
      expect(component(within.body, 'redis')?.status).toBe('healthy');
      expect(JSON.stringify(slow.body)).not.toMatch(/127\.0\.0\.1|health-test-token/);
    } finally {
      await proxy.close();
    }
  });

  it('answer 503 on ready and 200 on live when the database is gone', async () => {
    // Prepare: a pool whose only way to Postgres is a bridge that is then shut down
    const bridge = await startNeonBridge();
    const doomed = await createNeonDb({ connectionString: neonBridgeDatabaseUrl('test'), max: 1, statementTimeoutMs: 2000, wsProxy: `${bridge.host}:${String(bridge.port)}/v2` });
    await bridge.close();
    setDb(doomed);

    const ready = await probe('/health/ready');
    const live = await probe('/health/live');

    expect(ready.status).toBe(503);
    expect(component(ready.body, 'database')?.status).toBe('unhealthy');
    expect(live.status).toBe(200);
    await doomed.close().catch(() => undefined);
  });
});
