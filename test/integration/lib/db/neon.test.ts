// Neon's pooled endpoint (`-pooler`) is PgBouncer in transaction mode: a server connection per
// transaction, and only the startup parameters PgBouncer tracks. This suite runs the production
// driver (@neondatabase/serverless, over the neon-bridge) through a real PgBouncer configured alike
// (test/support/services.ts, started by infra/local/ensure-services.sh) in front of the machine's
// PostgreSQL: migrations under their lock, the signals API, a janitor run (its job lock and
// job_runs ledger, retention's batched deletes), and statement timeouts that the pooler keeps.
import { randomBytes } from 'node:crypto';
import { Pool } from '@neondatabase/serverless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpEvent } from '../../../../infra/local/api-gateway-event.js';
import { createLambdaContext } from '../../../../infra/local/lambda-context.js';
import { startNeonBridge, type NeonBridge } from '../../../../infra/local/neon-bridge.js';
import { buildScheduledEvent } from '../../../../infra/local/scheduled-event.js';
import { resetConfig } from '../../../../lib/config.js';
import { resetDb, setDb } from '../../../../lib/db/client.js';
import { migrate } from '../../../../lib/db/migrate.js';
import { loadMigrations } from '../../../../lib/db/migration-files.js';
import { createNeonDb } from '../../../../lib/db/neon.js';
import { upsertSignals } from '../../../../lib/db/signals-upsert.js';
import { raw, sql } from '../../../../lib/db/sql.js';
import type { Db } from '../../../../lib/db/types.js';
import { neonBridgeDatabaseUrl, useNeonBridge } from '../../../support/neon.js';
import { services } from '../../../support/services.js';
import { makeSignal } from '../../../support/signal-factory.js';

const pgbouncer = new URL(services.pgbouncerUrl);

describe('through PgBouncer in transaction mode (Neon’s pooled endpoint)', () => {
  const name = `sh_pooled_${randomBytes(6).toString('hex')}`;
  let direct: NeonBridge;
  let pooled: NeonBridge;
  let admin: Db;
  const opened: Db[] = [];
  const saved = { ...process.env };

  /** A Neon-driver database on `name` through the pooler. */
  async function pooledDb(statementTimeoutMs = 5000, max = 2): Promise<Db> {
    const db = await createNeonDb({ connectionString: neonBridgeDatabaseUrl(name), max, statementTimeoutMs, wsProxy: `${pooled.host}:${String(pooled.port)}/v2` });
    opened.push(db);
    return db;
  }

  beforeAll(async () => {
    direct = await startNeonBridge();
    pooled = await startNeonBridge({ pgHost: pgbouncer.hostname, pgPort: Number(pgbouncer.port) });
    admin = await createNeonDb({ connectionString: neonBridgeDatabaseUrl('test'), max: 1, statementTimeoutMs: 30_000, wsProxy: `${direct.host}:${String(direct.port)}/v2` });
    await admin.query(sql`CREATE DATABASE ${raw(name)}`);
    const probe = await createNeonDb({ connectionString: neonBridgeDatabaseUrl(name), max: 1, statementTimeoutMs: 5000, wsProxy: `${pooled.host}:${String(pooled.port)}/v2` });
    try {
      await probe.query(sql`SELECT 1`);
    } catch (error) {
      throw new Error(`PgBouncer does not answer on ${pgbouncer.host} (${(error as Error).message}); start it with: bash infra/local/ensure-services.sh pgbouncer`, { cause: error });
    } finally {
      await probe.close();
    }
  });

  afterAll(async () => {
    process.env = { ...saved };
    resetConfig();
    await resetDb();
    for (const db of opened) await db.close().catch(() => undefined);
    // PgBouncer keeps server connections to the database open; FORCE ends them.
    await admin.query(sql`DROP DATABASE IF EXISTS ${raw(name)} WITH (FORCE)`);
    await admin.close();
    await pooled.close();
    await direct.close();
  });

  it('refuses statement_timeout as a startup parameter, as Neon’s pooler does (why lib/db/neon.ts never sends it)', async () => {
    useNeonBridge(pooled);
    const pool = new Pool({ connectionString: neonBridgeDatabaseUrl(name), max: 1, statement_timeout: 5000 });
    pool.on('error', () => undefined);

    await expect(pool.query('SELECT 1')).rejects.toThrow(/unsupported startup parameter: statement_timeout/);
    await pool.end().catch(() => undefined);
  });

  it('migrates exactly once when four containers start together through the pooler (transaction-level lock)', async () => {
    const migrations = await loadMigrations();
    const dbs = await Promise.all([1, 2, 3, 4].map(() => pooledDb(5000, 1)));

    const results = await Promise.all(dbs.map((db) => migrate(db, migrations)));

    expect(results.flatMap((result) => result.applied).sort()).toEqual(migrations.map((m) => `${m.version}_${m.name}`).sort());
    // Only this database's: test files running alongside (and their migrations) take advisory locks too.
    const rows = await admin.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = ${name})`,
    );
    expect(rows[0]?.n).toBe(0);
    const ledger = await (await pooledDb()).query<{ n: number }>(sql`SELECT count(*)::int AS n FROM schema_migrations`);
    expect(ledger[0]?.n).toBe(migrations.length);
  });

  it('serves the signals list from the pooled database', async () => {
    const db = await pooledDb();
    await upsertSignals(db, [makeSignal({ source: 'pooler' }, 1), makeSignal({ source: 'pooler' }, 2)]);
    setDb(db);
    const { handler } = await import('../../../../functions/signals.js');
    const event = buildHttpEvent({
      method: 'GET',
      url: '/v1/signals?limit=10',
      headers: { host: 'api.example.com' },
      body: Buffer.alloc(0),
      sourceIp: '198.51.100.8',
      routeKey: 'ANY /v1/signals',
      pathParameters: {},
      domainName: 'api.example.com',
    });

    const result = await handler(event, createLambdaContext({ functionName: 'signal-harvester-test-signals', timeoutSeconds: 10, memorySize: 512, region: 'us-east-1' }));

    expect(result.statusCode).toBe(200);
    expect((JSON.parse(result.body ?? '{}') as { items: unknown[] }).items).toHaveLength(2);
  });

  it('runs the janitor (job lock, job_runs ledger, retention’s batched deletes) through the pooler', async () => {
    const db = await pooledDb();
    await upsertSignals(db, [makeSignal({ source: 'old', sourceId: 'gone', status: 'archived' }, 7)]);
    await db.query(sql`UPDATE signals SET updated_at = now() - interval '400 days' WHERE source = 'old'`);
    process.env.PUSHGATEWAY_URL = '';
    resetConfig();
    setDb(db);
    const { handler } = await import('../../../../scheduled/janitor.js');

    const result = await handler(
      buildScheduledEvent({ region: 'us-east-1', functionName: 'signal-harvester-test-janitor' }),
      createLambdaContext({ functionName: 'signal-harvester-test-janitor', timeoutSeconds: 60, memorySize: 1024, region: 'us-east-1' }),
    );

    expect(result).toMatchObject({ job: 'janitor', status: 'succeeded' });
    const runs = await db.query<{ status: string }>(sql`SELECT status FROM job_runs WHERE id = ${result.runId}`);
    expect(runs).toEqual([{ status: 'succeeded' }]);
    const left = await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM signals WHERE source = 'old'`);
    expect(left[0]?.n).toBe(0);
  });

  it('cuts off a transaction’s statement over the configured timeout (SET LOCAL), and the next client is unaffected', async () => {
    const db = await pooledDb(300, 1);
    const started = Date.now();

    await expect(db.transaction((tx) => tx.query(sql`SELECT pg_sleep(2)`))).rejects.toThrow(/statement timeout/);

    expect(Date.now() - started).toBeLessThan(1900);
    // SET LOCAL ended with the transaction: a longer statement on the same server connections runs.
    const other = await pooledDb(5000, 1);
    await expect(other.query(sql`SELECT 1 AS slept FROM pg_sleep(0.5)`)).resolves.toEqual([{ slept: 1 }]);
  });

  it('cuts off a single statement over the role’s default (ALTER ROLE … SET statement_timeout), which the pooler honours', async () => {
    // Scoped to this test's database, so other suites on the same role are untouched.
    await admin.query(sql`ALTER ROLE postgres IN DATABASE ${raw(name)} SET statement_timeout = '300ms'`);
    // The pooler's existing server connections logged in before; it opens new ones for a new pool
    // only when needed, so end them (the setting applies at login, as on Neon after the change).
    await admin.query(sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${name} AND pid <> pg_backend_pid()`);
    const db = await pooledDb(5000, 1);
    // The pooler learns that a server connection was ended only when it next uses it: a short
    // statement or two flush those (each failure makes it drop that connection and open a new one).
    for (let attempt = 0; attempt < 5; attempt += 1) {
      try {
        await db.query(sql`SELECT 1 AS ok`);
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const started = Date.now();

    await expect(db.query(sql`SELECT pg_sleep(2)`)).rejects.toThrow(/statement timeout/);

    expect(Date.now() - started).toBeLessThan(1900);
    await admin.query(sql`ALTER ROLE postgres IN DATABASE ${raw(name)} RESET statement_timeout`);
  });
});
