// Every query parameter of every dashboard page, given a value it cannot take, answers 400 with the
// page's form showing the error beside that field, and no hostile value (too long, wrong type,
// repeated, unknown, non-UTF-8, bidi control, markup) ever makes a 500. The parameters are read off
// the API's own schemas, so one added there is checked here without editing this file. All three
// web functions' apps, in front of one another as API Gateway routes them, over one PGlite database.
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listJobRunsRoute } from '../../../../lib/api/jobs-routes.js';
import { listDiscoveriesRoute, listSignalsRoute } from '../../../../lib/api/signals-routes.js';
import { getTopicRoute, topicEventsRoute, trendingTopicsRoute } from '../../../../lib/api/topics-routes.js';
import { resetConfig } from '../../../../lib/config.js';
import { createApiKeyStore } from '../../../../lib/db/api-keys-repo.js';
import { getDb, resetDb, setDb } from '../../../../lib/db/client.js';
import { sql } from '../../../../lib/db/sql.js';
import { upsertTaxonomyTopics } from '../../../../lib/db/topics-repo.js';
import { createApp } from '../../../../lib/http/app.js';
import { mountWebAdmin } from '../../../../lib/web/admin-app.js';
import { SIGNAL_PAGES } from '../../../../lib/web/pages/index.js';
import { TOPIC_PAGES } from '../../../../lib/web/pages/topic-pages.js';
import { webSession } from '../../../../lib/web/session/middleware.js';
import { mountWeb } from '../../../../lib/web/web-app.js';
import { createPgliteDatabase, type TestDatabase } from '../../../support/databases.js';
import { seedSignals } from '../../../support/signal-factory.js';

const ORIGIN = 'https://dashboard.example.test';
const BOOTSTRAP = `bootstrap-${randomBytes(24).toString('hex')}`;

/** Values no parameter should turn into a 500, whatever it is. */
const HOSTILE = ['lots', '-1', '1e309', '9'.repeat(40), 'x'.repeat(3000), '%FF%FE', '[]', '{"a":1}', '<script>alert(1)</script>', '\u202Eevil', 'null', ' ', '2026-13-45', '../../etc/passwd'];

describe('bad query parameters on every dashboard page', () => {
  let database: TestDatabase;
  let app: Hono;
  let pages: Array<{ path: string; fields: string[] }>;
  const saved = { ...process.env };

  beforeAll(async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    process.env.ADMIN_API_KEY = BOOTSTRAP;
    resetConfig();
    database = await createPgliteDatabase();
    await seedSignals(database.db, 5);
    await upsertTaxonomyTopics(database.db, [{ path: 'ai/agents', name: 'Agents', keywords: ['agent'] }]);
    const [topic] = await database.db.query<{ id: string }>(sql`SELECT id::text AS id FROM topics WHERE path = 'ai/agents'`);
    setDb(database.db);
    const identify = { keys: () => createApiKeyStore(getDb), identify: webSession() };
    const admin = createApp({ name: 'web-admin', ...identify });
    mountWebAdmin(admin);
    const topics = createApp({ name: 'web-topics', ...identify });
    mountWeb(TOPIC_PAGES)(topics);
    const web = createApp({ name: 'web', ...identify });
    mountWeb(SIGNAL_PAGES)(web);
    app = new Hono();
    app.all('/admin/*', (c) => admin.fetch(c.req.raw));
    app.all('/topics', (c) => topics.fetch(c.req.raw));
    app.all('/topics/*', (c) => topics.fetch(c.req.raw));
    app.all('*', (c) => web.fetch(c.req.raw));
    const fieldsOf = (...shapes: Array<Record<string, unknown>>): string[] => shapes.flatMap((shape) => Object.keys(shape));
    pages = [
      { path: '/', fields: [...fieldsOf(listSignalsRoute.query.shape), 'trail'] },
      { path: '/signals', fields: [...fieldsOf(listSignalsRoute.query.shape), 'trail'] },
      { path: '/discoveries', fields: [...fieldsOf(listDiscoveriesRoute.query.shape), 'trail'] },
      { path: '/topics', fields: fieldsOf(trendingTopicsRoute.query.shape) },
      { path: `/topics/${topic?.id ?? ''}`, fields: [...new Set([...fieldsOf(getTopicRoute.query.shape, topicEventsRoute.query.shape), 'trail'])] },
      { path: '/admin/jobs', fields: [...fieldsOf(listJobRunsRoute.query.shape), 'queued'] },
      { path: '/admin/keys', fields: [] },
    ];
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await resetDb();
    process.env = saved;
    resetConfig();
  });

  /** A GET as the bootstrap admin (the admin pages need one; the public pages ignore it). */
  async function get(path: string, search: string): Promise<{ status: number; body: string }> {
    const response = await app.request(`${ORIGIN}${path}?${search}`, { headers: { 'x-api-key': BOOTSTRAP } });
    return { status: response.status, body: await response.text() };
  }

  it('reads the parameters off the schemas (a sanity check of the list itself)', () => {
    const signals = pages.find((page) => page.path === '/signals')?.fields ?? [];
    for (const field of ['q', 'source', 'kind', 'category', 'status', 'tag', 'min_score', 'since', 'until', 'sort', 'order', 'limit', 'cursor', 'trail']) expect(signals).toContain(field);
    expect(pages.find((page) => page.path.startsWith('/topics/'))?.fields).toEqual(expect.arrayContaining(['window', 'kind', 'cursor', 'limit']));
  });

  it('answers a value no parameter can take (a NUL byte) with 400 and the form naming that field', async () => {
    for (const page of pages) {
      for (const field of page.fields) {
        const { status, body } = await get(page.path, `${field}=%00`);
        expect(status, `${page.path} ${field}`).toBe(400);
        expect(body, `${page.path} ${field}`).toContain('<div class="errors" role="alert">');
        // A list parameter's error names its item: `tag[0]`.
        expect(body, `${page.path} ${field}`).toMatch(new RegExp(`>${field}(\\[\\d+\\])?</a>`));
        expect(body, `${page.path} ${field}`).toMatch(/<form class="filters"|<a href="\/admin\/jobs">|<main/);
      }
    }
  });

  it('answers an unknown parameter with 400 and the form naming it', async () => {
    for (const page of pages) {
      const { status, body } = await get(page.path, 'bogus=1');
      expect(status, page.path).toBe(400);
      expect(body, page.path).toContain('>bogus</a>');
    }
  });

  it('never answers a hostile value, a repeated parameter or a malformed query with a 500', async () => {
    const searches = (field: string): string[] => [...HOSTILE.map((value) => `${field}=${value.startsWith('%') ? value : encodeURIComponent(value)}`), `${field}=1&${field}=2`, `${field}`, `${field}[]=1`, `${field}=%`];
    for (const page of pages) {
      for (const field of page.fields) {
        for (const search of searches(field)) {
          const { status, body } = await get(page.path, search);
          expect([200, 400], `${page.path}?${search.slice(0, 80)} → ${String(status)}`).toContain(status);
          if (status === 400) expect(body, `${page.path}?${search.slice(0, 80)}`).toContain('role="alert"');
          expect(body).not.toContain('<script>alert(1)</script>');
        }
      }
    }
  }, 120_000);
});
