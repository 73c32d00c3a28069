// Every route spec of the API, fed text Postgres may refuse — NUL (U+0000), unpaired surrogates —
// mixed with ordinary and exotic but storable text, in every query field, every string field of a
// body and every path parameter, against real Postgres through the Neon bridge. The property: no
// answer is a 500, no statement the database refuses is ever sent (db_queries_total{status=error}
// stays where it was), and a request carrying unstorable text is a 400 naming that field.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { adminRoutes } from '../../../../lib/api/admin-routes.js';
import { mountAdminApi } from '../../../../lib/api/admin-api.js';
import { jobsRoutes } from '../../../../lib/api/jobs-routes.js';
import { mountJobsApi } from '../../../../lib/api/jobs-api.js';
import { signalsRoutes } from '../../../../lib/api/signals-routes.js';
import { mountSignalsApi } from '../../../../lib/api/signals-api.js';
import { topicsRoutes } from '../../../../lib/api/topics-routes.js';
import { mountTopicsApi } from '../../../../lib/api/topics-api.js';
import { defaultKeyStore } from '../../../../lib/api/default-key-store.js';
import { resetConfig } from '../../../../lib/config.js';
import { resetDb, setDb } from '../../../../lib/db/client.js';
import { createApp, type App } from '../../../../lib/http/app.js';
import type { RouteSpec } from '../../../../lib/http/routing/route-spec.js';
import { dbQueries } from '../../../../lib/metrics/db-metrics.js';
import { isStorableText } from '../../../../lib/validation/storable-text.js';
import { acceptsArray } from '../../../../lib/validation/schema-shape.js';
import { closeDatabases, createPostgresDatabase, type TestDatabase } from '../../../support/databases.js';
import { seedSignals } from '../../../support/signal-factory.js';

const ADMIN_KEY = `bootstrap-${randomBytes(24).toString('hex')}`;
const ROUTES: readonly RouteSpec[] = [...signalsRoutes, ...adminRoutes, ...jobsRoutes, ...topicsRoutes];

/**
 * Values a path parameter needs to reach its handler; the rest of the time it gets random text. A
 * job's name is never a real one: starting a job would invoke its Lambda, which is not here.
 */
const VALID_PARAMS: Readonly<Record<string, string>> = { id: '1', name: 'no-such-job' };

/** Text Postgres refuses, alone or inside other text. */
const unstorable = fc.constantFrom('\u0000', '\ud800', '\udfff', 'a\u0000b', '\u0000\u0000', 'x\ud83dy');
/** Text Postgres stores: ASCII, any code point (astral ones as surrogate pairs), look-alikes. */
const storable = fc.oneof(
  fc.string({ minLength: 1, maxLength: 20 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).filter(isStorableText),
  fc.constantFrom('😀', '\\0', '%00', '\u2400', 'active', 'score', '2026-01-01T00:00:00Z', 'ai', '50'),
);
const text = fc.oneof(
  storable,
  unstorable,
  fc.tuple(storable, unstorable, storable).map(([a, b, c]) => a + b + c),
);

/** The field names of a part whose values are (or may be) strings: every query field, string-ish body fields. */
function stringFields(schema: RouteSpec['body']): { name: string; list: boolean }[] {
  if (schema === undefined) return [];
  return Object.entries(schema.shape).map(([name, field]) => ({ name, list: acceptsArray(field) }));
}

interface Case {
  route: RouteSpec;
  params: Record<string, string>;
  query: [string, string][];
  body: Record<string, unknown> | undefined;
}

function caseFor(route: RouteSpec): fc.Arbitrary<Case> {
  const paramNames = Object.keys(route.params?.shape ?? {});
  const params = fc.record(
    Object.fromEntries(paramNames.map((name) => [name, fc.oneof(fc.constant(VALID_PARAMS[name] ?? 'x'), text)])),
  ) as fc.Arbitrary<Record<string, string>>;
  const queryFields = stringFields(route.query);
  const query =
    queryFields.length === 0
      ? fc.constant<[string, string][]>([])
      : fc
          .subarray(queryFields)
          .chain((chosen) =>
            fc.tuple(...chosen.map((field) => (field.list ? fc.array(text, { minLength: 1, maxLength: 3 }) : text.map((value) => [value])).map((values) => values.map((value): [string, string] => [field.name, value])))),
          )
          .map((pairs) => pairs.flat());
  const bodyFields = stringFields(route.body);
  const body =
    route.body === undefined
      ? fc.constant(undefined)
      : fc
          .subarray(bodyFields)
          .chain((chosen) =>
            fc.tuple(...chosen.map((field) => (field.list ? fc.array(text, { maxLength: 3 }) : text).map((value) => [field.name, value] as const))),
          )
          .map((entries) => Object.fromEntries(entries) as Record<string, unknown>);
  return fc.record({ route: fc.constant(route), params, query, body });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A URL carries UTF-8: a lone surrogate in a path or query string arrives as U+FFFD (storable). */
function inUrl(value: string): string {
  return value.replace(LONE_SURROGATE, '\uFFFD');
}

function pathOf(route: RouteSpec, params: Record<string, string>): string {
  return route.path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => encodeURIComponent(inUrl(params[name] ?? '')));
}

/** Everything a request sends as text, as the server receives it, with the field it is in. */
function sentText(item: Case): { field: string; value: string }[] {
  const sent = Object.entries(item.params).map(([field, value]) => ({ field, value: inUrl(value) }));
  for (const [field, value] of item.query) sent.push({ field, value: inUrl(value) });
  for (const [field, value] of Object.entries(item.body ?? {})) {
    for (const one of Array.isArray(value) ? (value as string[]) : [value as string]) sent.push({ field, value: one });
  }
  return sent;
}

async function refusedStatements(): Promise<number> {
  const { values } = await dbQueries.get();
  return values.filter((entry) => entry.labels.status === 'error').reduce((sum, entry) => sum + entry.value, 0);
}

describe('text Postgres cannot store, on every route', () => {
  let database: TestDatabase;
  let app: App;
  const saved = { ...process.env };

  beforeAll(async () => {
    process.env.ADMIN_API_KEY = ADMIN_KEY;
    resetConfig();
    database = await createPostgresDatabase();
    await seedSignals(database.db, 20);
    setDb(database.db);
    app = createApp({ name: 'storable-text', keys: defaultKeyStore });
    mountSignalsApi(app);
    mountAdminApi(app);
    mountJobsApi(app);
    mountTopicsApi(app);
  }, 60_000);

  afterAll(async () => {
    await resetDb();
    await database.dispose();
    await closeDatabases();
    process.env = saved;
    resetConfig();
  });

  it('never reaches the database with it, never answers 500, and names the field in a 400', async () => {
    const refusedBefore = await refusedStatements();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES).chain(caseFor), async (item) => {
        const query = new URLSearchParams(item.query).toString();
        const headers: Record<string, string> = { 'x-api-key': ADMIN_KEY };
        if (item.body !== undefined) headers['content-type'] = 'application/json';
        const response = await app.request(`${pathOf(item.route, item.params)}${query === '' ? '' : `?${query}`}`, {
          method: item.route.method.toUpperCase(),
          headers,
          body: item.body === undefined ? undefined : JSON.stringify(item.body),
        });
        const json = (await response.json()) as { error?: { code: string; details?: { field: string; message: string }[] } };

        expect(response.status, JSON.stringify(json)).not.toBe(500);
        const bad = sentText(item).filter(({ value }) => !isStorableText(value));
        if (bad.length > 0) {
          expect(response.status, JSON.stringify(json)).toBe(400);
          const named = (json.error?.details ?? []).filter((detail) => detail.message.includes('NUL'));
          // Each named field is one that carried bad text (an array item is named with its index).
          expect(named.length).toBeGreaterThan(0);
          for (const detail of named) expect(bad.map(({ field }) => field)).toContain(detail.field.replace(/\[\d+\]$/, ''));
        }
        expect(await refusedStatements()).toBe(refusedBefore);
      }),
      { numRuns: 400 },
    );
  }, 120_000);
});

// The schema walk itself: a route whose string is nested (an array item) is named by its index.
describe('the field a 400 names', () => {
  it('is the array item for a list value', async () => {
    const app = createApp({ name: 'storable-text-nested' });
    const { mount } = await import('../../../../lib/http/routing/validate.js');
    mount(
      app,
      { method: 'post', path: '/things', operationId: 'things', summary: 's', body: z.strictObject({ tags: z.array(z.string()) }), responses: { 200: { description: 'ok' } } },
      (c) => c.json({ ok: true }),
    );

    const response = await app.request('/things', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tags: ['ok', 'bad\u0000'] }) });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { details: unknown } }).error.details).toEqual([
      { location: 'body', field: 'tags[1]', message: 'must not contain NUL (U+0000) characters or unpaired surrogates' },
    ]);
  });
});
