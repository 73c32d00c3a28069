// A JSON body that repeats a key is refused (400 naming it) on a real route over real Postgres, and
// nothing is written: `{"tier":"api_key","tier":"admin"}` would otherwise create an admin key while
// anything reading the first occurrence (a proxy, a log, a reviewer) saw api_key.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountAdminApi } from '../../../../../lib/api/admin-api.js';
import { defaultKeyStore } from '../../../../../lib/api/default-key-store.js';
import { resetConfig } from '../../../../../lib/config.js';
import { resetDb, setDb } from '../../../../../lib/db/client.js';
import { sql } from '../../../../../lib/db/sql.js';
import { createApp, type App } from '../../../../../lib/http/app.js';
import { closeDatabases, createPostgresDatabase, type TestDatabase } from '../../../../support/databases.js';

const ADMIN_KEY = `bootstrap-${randomBytes(24).toString('hex')}`;

describe('a JSON body with a repeated key', () => {
  let database: TestDatabase;
  let app: App;
  const saved = { ...process.env };

  beforeAll(async () => {
    process.env.ADMIN_API_KEY = ADMIN_KEY;
    resetConfig();
    database = await createPostgresDatabase();
    setDb(database.db);
    app = createApp({ name: 'duplicate-keys', keys: defaultKeyStore });
    mountAdminApi(app);
  }, 60_000);

  afterAll(async () => {
    await resetDb();
    await database.dispose();
    await closeDatabases();
    process.env = saved;
    resetConfig();
  });

  it('is refused with a 400 naming the key, and no key is created', async () => {
    const response = await app.request('/v1/admin/keys', {
      method: 'POST',
      headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' },
      body: '{"name":"ci","tier":"api_key","tier":"admin"}',
    });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: unknown } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details).toEqual([{ location: 'body', field: 'tier', message: 'is given more than once' }]);
    expect(await database.db.query(sql`SELECT id FROM api_keys`)).toEqual([]);
  });

  it('is accepted when every key is given once', async () => {
    const response = await app.request('/v1/admin/keys', {
      method: 'POST',
      headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' },
      body: '{"name":"ci","tier":"api_key"}',
    });

    expect(response.status).toBe(201);
  });
});
