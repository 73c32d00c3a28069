// Random query strings, ids and bodies thrown at the real signals and admin routes, backed by a
// real (embedded) database: whatever arrives, the answer is a deliberate 2xx/4xx in our JSON
// shape, never a 500.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountAdminApi } from '../../../../../lib/api/admin-api.js';
import { mountSignalsApi } from '../../../../../lib/api/signals-api.js';
import { defaultKeyStore } from '../../../../../lib/api/default-key-store.js';
import { resetConfig } from '../../../../../lib/config.js';
import { resetDb, setDb } from '../../../../../lib/db/client.js';
import { createApp, type App } from '../../../../../lib/http/app.js';
import { createPgliteDatabase } from '../../../../support/databases.js';
import { seedSignals } from '../../../../support/signal-factory.js';

const ADMIN_KEY = `bootstrap-${randomBytes(24).toString('hex')}`;
const EXPECTED = new Set([200, 201, 400, 401, 403, 404, 405, 413, 415]);
const QUERY_KEYS = ['source', 'kind', 'category', 'status', 'min_score', 'since', 'until', 'q', 'tag', 'sort', 'order', 'limit', 'cursor'];
const NASTY = ['', ' ', 'NaN', 'Infinity', '1e309', '-1', '0', '101', '2026-13-45T00:00:00Z', '2026-01-01T00:00:00Z', '__proto__', "'; DROP TABLE signals; --", '%00', '\u0000', '😀', 'a'.repeat(600)];

const value = fc.oneof(fc.string(), fc.constantFrom(...NASTY), fc.integer().map(String), fc.double().map(String));
const key = fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.constantFrom('__proto__', 'constructor', 'toString'), fc.string());
const query = fc.array(fc.tuple(key, value), { maxLength: 8 }).map((pairs) => new URLSearchParams(pairs).toString());
const body = fc.oneof(
  fc.json(),
  fc.string(),
  fc.constantFrom('{', '{"name":', 'null', '[]', '{"status":"active","tags":["a"]}', '{"name":"ok"}', '{"tags":null}'),
  fc.record({ name: fc.oneof(fc.string(), fc.integer()), tier: fc.oneof(fc.constantFrom('api_key', 'premium', 'admin'), fc.string()) }).map((x) => JSON.stringify(x)),
);
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', '');

describe('the real routes under random input', () => {
  let app: App;
  const saved = { ...process.env };

  beforeAll(async () => {
    process.env.ADMIN_API_KEY = ADMIN_KEY;
    resetConfig();
    const database = await createPgliteDatabase();
    await seedSignals(database.db, 50);
    setDb(database.db);
    app = createApp({ name: 'property', keys: defaultKeyStore });
    mountSignalsApi(app);
    mountAdminApi(app);
  }, 60_000);

  afterAll(async () => {
    await resetDb();
    process.env = saved;
    resetConfig();
  });

  async function expectDeliberate(response: Response): Promise<void> {
    expect(EXPECTED.has(response.status), `status ${response.status}`).toBe(true);
    if (response.status >= 400) {
      const json = (await response.json()) as { error?: { code?: unknown; requestId?: unknown } };
      expect(typeof json.error?.code).toBe('string');
      expect(typeof json.error?.requestId).toBe('string');
    }
  }

  it('never answers a random query string with a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/v1/signals', '/v1/discoveries', '/v1/signals/stats'), query, async (path, qs) => {
        await expectDeliberate(await app.request(`${path}?${qs}`));
      }),
      { numRuns: 300 },
    );
  });

  it('never answers a random id with a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ minLength: 1 }), fc.bigInt().map(String), fc.constantFrom(...NASTY.filter(Boolean))), async (id) => {
        await expectDeliberate(await app.request(`/v1/signals/${encodeURIComponent(id)}`));
        await expectDeliberate(await app.request(`/v1/admin/keys/${encodeURIComponent(id)}`, { method: 'DELETE', headers: { 'x-api-key': ADMIN_KEY } }));
      }),
      { numRuns: 200 },
    );
  });

  it('never answers a random body with a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('PATCH /v1/signals/1', 'POST /v1/admin/keys'), body, contentType, async (target, payload, type) => {
        const [method, path] = target.split(' ') as [string, string];
        const headers: Record<string, string> = { 'x-api-key': ADMIN_KEY };
        if (type !== '') headers['content-type'] = type;
        await expectDeliberate(await app.request(path, { method, headers, body: payload }));
      }),
      { numRuns: 300 },
    );
  });
});
