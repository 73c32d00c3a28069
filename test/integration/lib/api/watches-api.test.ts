// The watches API through the app (app.request, no server) with the real Postgres key store on both
// drivers: a key creates, lists, reads, changes and deletes its own watches only (an admin all),
// the feed token is shown once and rotates, the tier cap holds, and bad input — unknown fields, a
// filter matching everything, bad domains, NUL — is a 400 that stores nothing.
import { expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createWatchRoute, listWatchesRoute, rotateFeedTokenRoute, watchSchema } from '../../../../lib/api/watches-routes.js';
import { openApiDocument } from '../../../../lib/api/openapi-document.js';
import { generateApiKey } from '../../../../lib/auth/api-key.js';
import { sql } from '../../../../lib/db/sql.js';
import { WATCH_CAPS } from '../../../../lib/delivery/watch-caps.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { useWatchesApp } from '../../../support/watches-app.js';

interface WatchJson {
  id: string;
  name: string;
  filter: Record<string, unknown>;
  feed_token_prefix: string;
  feed_token?: string;
  feed_urls?: { atom: string; rss: string; json: string };
}

interface ErrorJson {
  error: { code: string; message: string; details?: Array<{ location: string; field: string; message: string }> };
}

const GOOD = { name: 'Rust releases', filter: { q: 'rust', kinds: ['release'], exclude_domains: ['Medium.com'], min_score: 30 } };

describeOnDrivers('the watches API on $driver', ({ open }) => {
  const api = useWatchesApp(open, 'api_key');
  const { keys, call, json } = api;

  async function watchCount(): Promise<number> {
    const [row] = await api.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM watches`);
    return row?.n ?? -1;
  }

  it('creates a watch, showing its feed token and feed URLs this once', async () => {
    // Act
    const created = await json<WatchJson>(await call('POST', '/v1/watches', keys.alice, GOOD), 201);

    // Assess
    expect(z.safeParse(createWatchRoute.responses[201].schema, created).success).toBe(true);
    expect(created.filter).toEqual({ ...GOOD.filter, exclude_domains: ['medium.com'] });
    expect(created.feed_token).toMatch(/^shf_[A-Za-z0-9_-]{43}$/);
    expect(created.feed_urls?.atom).toBe(`https://api.example.test/v1/feeds/${created.feed_token ?? ''}.atom`);
    expect(created.feed_token?.startsWith(created.feed_token_prefix)).toBe(true);
    const read = await json<WatchJson>(await call('GET', `/v1/watches/${created.id}`, keys.alice), 200);
    expect(z.safeParse(watchSchema, read).success).toBe(true);
    expect(read).not.toHaveProperty('feed_token');
    expect(JSON.stringify(read)).not.toContain(created.feed_token ?? 'x');
  });

  it("shows a key its own watches only, and 404s another key's", async () => {
    // Prepare
    const bobs = await json<WatchJson>(await call('POST', '/v1/watches', keys.bob, { ...GOOD, name: "Bob's" }), 201);

    // Act
    const aliceList = await json<{ items: WatchJson[] }>(await call('GET', '/v1/watches', keys.alice), 200);
    const adminList = await json<{ items: WatchJson[] }>(await call('GET', '/v1/watches', keys.admin), 200);

    // Assess
    expect(z.safeParse(listWatchesRoute.responses[200].schema, aliceList).success).toBe(true);
    expect(aliceList.items.map((watch) => watch.name)).not.toContain("Bob's");
    expect(adminList.items.map((watch) => watch.name)).toContain("Bob's");
    for (const [method, body] of [['GET', undefined], ['PATCH', { name: 'mine now' }], ['DELETE', undefined]] as const) {
      expect((await call(method, `/v1/watches/${bobs.id}`, keys.alice, body)).status).toBe(404);
    }
    expect((await call('POST', `/v1/watches/${bobs.id}/feed-token`, keys.alice)).status).toBe(404);
    expect((await json<WatchJson>(await call('GET', `/v1/watches/${bobs.id}`, keys.bob), 200)).name).toBe("Bob's");
    expect((await json<WatchJson>(await call('PATCH', `/v1/watches/${bobs.id}`, keys.admin, { name: 'by admin' }), 200)).name).toBe('by admin');
  });

  it('renames, replaces the filter, rotates the token and deletes', async () => {
    const created = await json<WatchJson>(await call('POST', '/v1/watches', keys.alice, GOOD), 201);

    const patched = await json<WatchJson>(await call('PATCH', `/v1/watches/${created.id}`, keys.alice, { name: 'renamed', filter: { tag: ['wasm'] } }), 200);
    const rotated = await json<WatchJson>(await call('POST', `/v1/watches/${created.id}/feed-token`, keys.alice), 200);
    const deleted = await call('DELETE', `/v1/watches/${created.id}`, keys.alice);

    expect(patched).toMatchObject({ name: 'renamed', filter: { tag: ['wasm'] } });
    expect(z.safeParse(rotateFeedTokenRoute.responses[200].schema, rotated).success).toBe(true);
    expect(rotated.feed_token).not.toBe(created.feed_token);
    expect(deleted.status).toBe(204);
    expect((await call('GET', `/v1/watches/${created.id}`, keys.alice)).status).toBe(404);
  });

  it.each([
    ['an unknown top-level field', { ...GOOD, colour: 'red' }, 'colour'],
    ['an unknown filter field', { ...GOOD, filter: { ...GOOD.filter, sort: 'score' } }, 'filter.sort'],
    ['a filter that matches everything', { name: 'all', filter: { exclude_terms: ['spam'], status: 'active' } }, 'filter'],
    ['an empty filter', { name: 'all', filter: {} }, 'filter'],
    ['a bad domain', { ...GOOD, filter: { ...GOOD.filter, exclude_domains: ['https://medium.com/x'] } }, 'filter.exclude_domains[0]'],
    ['a NUL in a term', { ...GOOD, filter: { ...GOOD.filter, exclude_terms: ['a\u0000b'] } }, 'filter.exclude_terms[0]'],
    ['an unknown kind', { ...GOOD, filter: { kinds: ['tweet'] } }, 'filter.kinds[0]'],
    ['a score out of range', { ...GOOD, filter: { min_score: 101 } }, 'filter.min_score'],
    ['a missing name', { filter: GOOD.filter }, 'name'],
  ])('refuses %s with a 400 naming the field, storing nothing', async (_label, body, field) => {
    const before = await watchCount();

    const error = await json<ErrorJson>(await call('POST', '/v1/watches', keys.alice, body), 400);

    expect(error.error.details?.map((detail) => detail.field)).toContain(field);
    expect(await watchCount()).toBe(before);
  });

  it('refuses a PATCH to a filter that matches everything, and an empty PATCH', async () => {
    const created = await json<WatchJson>(await call('POST', '/v1/watches', keys.alice, GOOD), 201);
    expect((await call('PATCH', `/v1/watches/${created.id}`, keys.alice, { filter: { status: 'active' } })).status).toBe(400);
    expect((await call('PATCH', `/v1/watches/${created.id}`, keys.alice, {})).status).toBe(400);
    expect((await json<WatchJson>(await call('GET', `/v1/watches/${created.id}`, keys.alice), 200)).filter).toMatchObject({ q: 'rust' });
  });

  it('needs a key: 401 without one, 403 with an unknown one', async () => {
    expect((await call('GET', '/v1/watches', undefined)).status).toBe(401);
    expect((await call('GET', '/v1/watches', generateApiKey().key)).status).toBe(403);
  });

  it('holds a key to its tier cap with a 403', async () => {
    // Prepare: a fresh key filled to the cap directly.
    const key = await api.issue('api_key');
    const first = await json<WatchJson>(await call('POST', '/v1/watches', key, GOOD), 201);
    const [row] = await api.db.query<{ owner: string }>(sql`SELECT owner_key_id AS owner FROM watches WHERE id = ${first.id}::bigint`);
    await api.db.query(sql`
      INSERT INTO watches (owner_key_id, name, filter, feed_token_hash, feed_token_prefix)
      SELECT ${row?.owner ?? ''}, 'filler', '{"q":"x"}'::jsonb, md5(random()::text) || md5(random()::text), 'shf_'
      FROM generate_series(2, ${WATCH_CAPS.api_key})`);

    // Act
    const refused = await json<ErrorJson>(await call('POST', '/v1/watches', key, GOOD), 403);

    // Assess
    expect(refused.error.message).toContain(String(WATCH_CAPS.api_key));
  });

  it('is documented in the OpenAPI document', () => {
    const document = openApiDocument() as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(document.paths['/v1/watches']?.post?.operationId).toBe('createWatch');
    expect(document.paths['/v1/watches/{id}']?.patch?.operationId).toBe('updateWatch');
    expect(document.paths['/v1/watches/{id}/feed-token']?.post?.operationId).toBe('rotateWatchFeedToken');
    expect(document.paths['/v1/feeds/{file}']?.get?.operationId).toBe('getFeed');
  });
});
