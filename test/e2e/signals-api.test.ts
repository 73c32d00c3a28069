// The signals and admin APIs end to end through the local runtime on the embedded database:
// the real serverless.yml, real handlers, real HTTP, PGlite loaded from the migrated snapshot.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_START_TIMEOUT_MS, startE2eRuntime, type E2eRuntime } from '../support/e2e-runtime.js';
import { seedSignals } from '../support/signal-factory.js';

const ADMIN_KEY = `bootstrap-${randomBytes(24).toString('hex')}`;
const SIGNALS = 1000;

interface Page {
  items: Array<{ id: string; score: number; published_at: string; kind: string; source: string; tags: string[]; status: string }>;
  next_cursor: string | null;
}

interface ErrorJson {
  error: { code: string; message: string; details?: Array<{ location: string; field: string; message: string }>; requestId: string };
}

describe('the signals API through the local runtime', () => {
  let runtime: E2eRuntime;

  beforeAll(async () => {
    runtime = await startE2eRuntime({
      env: { ADMIN_API_KEY: ADMIN_KEY, API_KEY_CACHE_TTL_MS: '300', MAX_BODY_BYTES: '4096' },
      seed: (db) => seedSignals(db, SIGNALS),
    });
  }, E2E_START_TIMEOUT_MS);

  afterAll(() => runtime.close());

  function call(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${runtime.url}${path}`, init);
  }

  async function allPages(query: string): Promise<Page['items']> {
    const items: Page['items'] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const response = await call(`/v1/signals?${query}${suffix}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as Page;
      items.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor !== null);
    return items;
  }

  it('pages through every signal with no duplicate and no gap, in each sort', async () => {
    for (const [sort, key] of [['score', 'score'], ['published_at', 'published_at']] as const) {
      const items = await allPages(`sort=${sort}&limit=100`);
      expect(items).toHaveLength(SIGNALS);
      expect(new Set(items.map((item) => item.id)).size).toBe(SIGNALS);
      const values = items.map((item) => (key === 'score' ? item.score : Date.parse(item.published_at)));
      expect(values).toEqual([...values].sort((a, b) => b - a));
    }
    const ascending = await allPages('sort=score&order=asc&limit=77');
    expect(ascending.map((item) => item.id).sort()).toEqual((await allPages('sort=score&limit=100')).map((item) => item.id).sort());
  });

  it('filters by kind, source, score and tag, and searches full text', async () => {
    const everything = await allPages('limit=100');
    const posts = await allPages('kind=post&limit=100');
    expect(posts.length).toBe(everything.filter((item) => item.kind === 'post').length);
    expect(posts.every((item) => item.kind === 'post')).toBe(true);

    const high = await allPages('min_score=50&limit=100');
    expect(high.length).toBe(everything.filter((item) => item.score >= 50).length);

    const someTag = everything.find((item) => item.tags.length > 0)?.tags[0] ?? 'none';
    const tagged = await allPages(`tag=${encodeURIComponent(someTag)}&limit=100`);
    expect(tagged.length).toBe(everything.filter((item) => item.tags.includes(someTag)).length);

    const search = await call('/v1/signals?q=quantum&limit=5');
    expect(search.status).toBe(200);
  });

  it('creates a key with the bootstrap admin key, uses it, and refuses it once revoked', async () => {
    // Act: create
    const created = await call('/v1/admin/keys', {
      method: 'POST',
      headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'e2e', tier: 'api_key' }),
    });
    expect(created.status).toBe(201);
    const key = (await created.json()) as { id: string; key: string; prefix: string };
    expect(key.key).toMatch(/^shk_/);

    // Use it: an api_key-tier route works, an admin route does not
    const [first] = (await (await call('/v1/signals?limit=1')).json() as Page).items;
    const patched = await call(`/v1/signals/${first?.id ?? '1'}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tags: ['reviewed'] }),
    });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { tags: string[] }).tags).toEqual(['reviewed']);
    expect((await call(`/v1/signals/${first?.id ?? '1'}`, { method: 'DELETE', headers: { 'x-api-key': key.key } })).status).toBe(403);
    expect((await call(`/v1/signals/${first?.id ?? '1'}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"tags":[]}' })).status).toBe(401);

    // The listing shows it without any secret
    const listing = await (await call('/v1/admin/keys', { headers: { 'x-api-key': ADMIN_KEY } })).text();
    expect(listing).toContain(key.id);
    expect(listing).not.toContain(key.key);

    // Revoke: refused within the cache TTL
    expect((await call(`/v1/admin/keys/${key.id}`, { method: 'DELETE', headers: { 'x-api-key': ADMIN_KEY } })).status).toBe(200);
    await expect.poll(async () => (await call('/v1/signals?limit=1', { headers: { 'x-api-key': key.key } })).status, { timeout: 3000 }).toBe(403);
  });

  it('answers every kind of bad input with its status and the JSON error shape', async () => {
    const cases: Array<[string, RequestInit, number, string?]> = [
      ['/v1/signals?colour=red', {}, 400, 'colour'],
      ['/v1/signals?limit=0', {}, 400, 'limit'],
      ['/v1/signals?limit=101', {}, 400, 'limit'],
      ['/v1/signals?sort=random', {}, 400, 'sort'],
      ['/v1/signals?since=yesterday', {}, 400, 'since'],
      ['/v1/signals?cursor=not-a-cursor', {}, 400, 'cursor'],
      // Well-formed for its ordering, but a date where the score sort needs a number: the data layer's InvalidCursorError.
      [`/v1/signals?cursor=${Buffer.from(JSON.stringify(['score:desc', '2026-01-01T00:00:00Z', '1'])).toString('base64url')}`, {}, 400],
      ['/v1/signals/abc', {}, 400, 'id'],
      ['/v1/signals/999999999', {}, 404],
      ['/v1/signals', { method: 'POST' }, 405],
      ['/v1/admin/keys', {}, 401],
      ['/v1/admin/keys', { headers: { 'x-api-key': 'shk_nope' } }, 403],
      ['/v1/admin/keys', { method: 'POST', headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' }, body: '{"name":' }, 400],
      ['/v1/admin/keys', { method: 'POST', headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' }, body: '{"name":"x","colour":1}' }, 400, 'colour'],
      ['/v1/admin/keys', { method: 'POST', headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'text/plain' }, body: 'name=x' }, 415],
      ['/v1/admin/keys', { method: 'POST', headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(5000) }) }, 413],
      ['/v1/admin/keys/not-a-uuid', { method: 'DELETE', headers: { 'x-api-key': ADMIN_KEY } }, 400, 'id'],
      ['/v1/admin/keys/00000000-0000-4000-8000-000000000000', { method: 'DELETE', headers: { 'x-api-key': ADMIN_KEY } }, 404],
    ];
    for (const [path, init, status, field] of cases) {
      const response = await call(path, init);
      const body = (await response.json()) as ErrorJson;
      expect(response.status, `${init.method ?? 'GET'} ${path}`).toBe(status);
      expect(body.error.requestId, path).toBe(response.headers.get('x-correlation-id'));
      expect(typeof body.error.code).toBe('string');
      if (field !== undefined) expect(body.error.details?.map((detail) => detail.field), path).toContain(field);
    }
  });

  it('serves stats and discoveries', async () => {
    const stats = (await (await call('/v1/signals/stats')).json()) as { total: number; by_status: Record<string, number> };
    expect(stats.total).toBe(SIGNALS);
    const discoveries = (await (await call('/v1/discoveries?limit=10')).json()) as Page;
    expect(discoveries.items.every((item) => ['preprint', 'repository', 'release'].includes(item.kind))).toBe(true);
  });

  it('publishes an OpenAPI 3.1 document covering every route', async () => {
    const document = (await (await call('/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual(
      ['/health/live', '/health/ready', '/health/startup', '/openapi.json', '/v1/admin/keys', '/v1/admin/keys/{id}', '/v1/admin/jobs', '/v1/admin/jobs/{name}', '/v1/discoveries', '/v1/signals', '/v1/signals/stats', '/v1/signals/{id}', '/v1/topics/trending', '/v1/topics/{id}', '/v1/topics/{id}/events', '/v1/watches', '/v1/watches/{id}', '/v1/watches/{id}/feed-token', '/v1/watches/{id}/webhook', '/v1/watches/{id}/webhook/rotate', '/v1/watches/{id}/deliveries', '/v1/watches/{id}/delivery', '/v1/watches/{id}/digests', '/v1/feeds/{file}', '/v1/signals/{id}/related', '/v1/signals/{id}/graph', '/v1/relationships/stats', '/v1/entities', '/v1/entities/{id}', '/v1/admin/entity-merges', '/v1/admin/entity-merges/{id}', '/v1/admin/entity-merges/{id}/undo'].sort(),
    );
  });
  it("serves GET /metrics to an admin with every function's requests and queries, by route template", async () => {
    // Prepare: one process, one registry: the signals function's traffic shows in the metrics function
    await call('/v1/signals/123456789');
    await call('/v1/signals/123456790');

    // Act
    const anonymous = await call('/metrics');
    const response = await call('/metrics', { headers: { authorization: `Bearer ${ADMIN_KEY}` } });

    // Assess
    expect(anonymous.status).toBe(401);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/http_requests_total\{method="GET",endpoint="\/v1\/signals\/:id",status="404"\} [2-9]/);
    expect(text).not.toContain('/v1/signals/123456789');
    expect(text).toMatch(/db_queries_total\{operation="select",table="signals",status="ok"\} [1-9]/);
    expect(text).toContain('http_requests_total{method="GET",endpoint="/metrics",status="401"} 1');
  });
});
