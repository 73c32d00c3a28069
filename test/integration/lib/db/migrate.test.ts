// Migrations on both drivers: applied in order, once, under a lock, each in a transaction, and the
// resulting schemas are identical on embedded PGlite and on real Postgres via the Neon driver.
import { afterAll, describe, expect, it } from 'vitest';
import { checksum, currentVersion, migrate, type Migration } from '../../../../lib/db/migrate.js';
import { loadMigrations } from '../../../../lib/db/migration-files.js';
import { createNeonDb } from '../../../../lib/db/neon.js';
import { sql } from '../../../../lib/db/sql.js';
import type { Db } from '../../../../lib/db/types.js';
import { closeDatabases, createPgliteDatabase, createPostgresDatabase, type TestDatabase } from '../../../support/databases.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';

/**
 * Everything that makes a schema: columns, constraints and indexes of the public tables. PGlite is
 * a newer Postgres that also lists NOT NULL as constraints (contype 'n'); nullability is compared
 * through the columns instead.
 */
async function describeSchema(db: Db): Promise<unknown> {
  const columns = await db.query(sql`
    SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, is_generated, generation_expression
    FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`);
  const constraints = await db.query(sql`
    SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 'n' ORDER BY 1, 2`);
  const indexes = await db.query(sql`
    SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`);
  return { columns, constraints, indexes };
}

const opened: TestDatabase[] = [];

afterAll(async () => {
  await Promise.all(opened.map((database) => database.dispose()));
  await closeDatabases();
});

describeOnDrivers('migrations on $driver', ({ open }) => {
  it('apply every file once to an empty database and record the latest version', async () => {
    // Prepare
    const database = await open({ migrated: false });
    const migrations = await loadMigrations();

    // Act
    const first = await migrate(database.db, migrations);
    const second = await migrate(database.db, migrations);

    // Assess
    expect(first.applied).toEqual(migrations.map((m) => `${m.version}_${m.name}`));
    expect(second).toEqual({ applied: [], alreadyApplied: migrations.length });
    expect(await currentVersion(database.db)).toBe(migrations.at(-1)?.version);
  });

  it('apply 0014 (entities, written after 0015) to a database already at 0015, ending as a fresh one', async () => {
    // Prepare: a database migrated before 0014 existed, holding a signal.
    const existing = await open({ migrated: false });
    const fresh = await open({ migrated: false });
    const migrations = await loadMigrations();
    // Migrations written later than 0015 (0016 on) are not applied yet either.
    await migrate(existing.db, migrations.filter((m) => m.version !== '0014' && m.version <= '0015'));
    await existing.db.query(sql`INSERT INTO signals (source, source_id, kind, url, title, published_at, rank) VALUES ('hackernews', '1', 'story', 'https://example.com/1', 'One', now(), 0)`);
    const before = await currentVersion(existing.db);

    // Act
    const result = await migrate(existing.db, migrations);
    await migrate(fresh.db, migrations);

    // Assess
    expect(before).toBe('0015');
    expect(result.applied).toEqual(migrations.filter((m) => m.version === '0014' || m.version > '0015').map((m) => `${m.version}_${m.name}`));
    expect(result.applied[0]).toBe('0014_entities');
    expect(await existing.db.query(sql`SELECT source_id AS "sourceId", entity_mentions AS mentions FROM signals`)).toEqual([{ sourceId: '1', mentions: null }]);
    expect(await describeSchema(existing.db)).toEqual(await describeSchema(fresh.db));
  });

  it('roll back a failing migration completely and record nothing', async () => {
    const database = await open({ migrated: false });
    const broken: Migration[] = [
      { version: '9001', name: 'half_done', sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();' },
    ];

    await expect(migrate(database.db, broken)).rejects.toThrow(/9001_half_done failed/);

    const tables = await database.db.query(sql`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`);
    expect(tables).toHaveLength(0);
    expect(await currentVersion(database.db)).toBeUndefined();
  });

  it('refuse a migration edited after it was applied', async () => {
    const database = await open({ migrated: false });
    const original: Migration = { version: '9002', name: 'once', sql: 'CREATE TABLE once (id int);' };
    await migrate(database.db, [original]);

    await expect(migrate(database.db, [{ ...original, sql: 'CREATE TABLE once (id bigint);' }])).rejects.toThrow(/changed after it was applied/);
    expect(checksum(original.sql)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the schema', () => {
  it('is identical on PGlite and on Postgres through the Neon driver', async () => {
    const pglite = await createPgliteDatabase({ migrated: false });
    const postgres = await createPostgresDatabase({ migrated: false });
    opened.push(pglite, postgres);
    const migrations = await loadMigrations();
    await migrate(pglite.db, migrations);
    await migrate(postgres.db, migrations);

    const embedded = await describeSchema(pglite.db);
    const real = await describeSchema(postgres.db);

    expect(embedded).toEqual(real);
    expect((embedded as { columns: unknown[] }).columns.length).toBeGreaterThan(50);
  });

  it('is migrated exactly once when four containers start together', async () => {
    // Prepare: one empty database, four independent pools (as four Lambda containers would have)
    const database = await createPostgresDatabase({ migrated: false });
    opened.push(database);
    const pools = await Promise.all(
      [1, 2, 3, 4].map(() => createNeonDb({ connectionString: database.url ?? '', max: 1, statementTimeoutMs: 30_000, wsProxy: database.wsProxy })),
    );
    const migrations = await loadMigrations();

    // Act
    const results = await Promise.all(pools.map((pool) => migrate(pool, migrations)));
    await Promise.all(pools.map((pool) => pool.close()));

    // Assess
    // Each exactly once, by whichever container took its lock first (so in no particular container order).
    expect(results.flatMap((result) => result.applied).sort()).toEqual(migrations.map((m) => `${m.version}_${m.name}`).sort());
    const rows = await database.db.query<{ count: number }>(sql`SELECT count(*)::int AS count FROM schema_migrations`);
    expect(rows[0]?.count).toBe(migrations.length);
  });
});
