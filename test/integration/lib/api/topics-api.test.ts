// The topics API through the app (app.request, no server) on the embedded database, after a real
// evolveTopics run over a known corpus: trending with counts and top signals, one topic with its
// stats and timeline, its events page by page; bad windows, ids and cursors are 400s, unknown
// topics 404s; every body matches the schema the OpenAPI document publishes.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { mountTopicsApi } from '../../../../lib/api/topics-api.js';
import { getTopicRoute, topicEventsRoute, trendingTopicsRoute } from '../../../../lib/api/topics-routes.js';
import { openApiDocument } from '../../../../lib/api/openapi-document.js';
import { resetDb, setDb } from '../../../../lib/db/client.js';
import { upsertSignals } from '../../../../lib/db/signals-upsert.js';
import { sql } from '../../../../lib/db/sql.js';
import { recordTopicEvents } from '../../../../lib/db/topics-repo.js';
import type { Db } from '../../../../lib/db/types.js';
import { evolveTopics } from '../../../../lib/harvest/topics/evolve.js';
import { createVectorCache } from '../../../../lib/harvest/topics/vector-cache.js';
import { createApp, type App } from '../../../../lib/http/app.js';
import { createPgliteDatabase } from '../../../support/databases.js';
import { makeSignal } from '../../../support/signal-factory.js';

const DAY = 86_400_000;
const NOW = new Date();
const PRODUCTS = ['nginx', 'openssh', 'exim', 'sudo', 'curl', 'samba', 'apache', 'bind', 'dovecot', 'postfix', 'polkit', 'glibc'];
const SOURDOUGH = ['Sourdough starter fermentation at home', 'Feeding a sourdough starter: fermentation notes', 'Sourdough starter fermentation and hydration', 'Why my sourdough starter fermentation stalled'];

interface ErrorJson {
  error: { code: string; details?: Array<{ location: string; field: string }> };
}

let app: App;
let db: Db;
let vulnerabilities: string;

async function get(path: string, init?: RequestInit): Promise<Response> {
  return app.request(`http://localhost${path}`, init);
}

async function json<T>(response: Response, status = 200): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(status);
  return (await response.json()) as T;
}

beforeAll(async () => {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  db = (await createPgliteDatabase()).db;
  // 3 vulnerability posts 20 days ago, 9 two days ago (one archived), the sourdough cluster.
  const titles = [
    ...PRODUCTS.slice(0, 3).map((product) => ({ title: `CVE-2026-1: remote code execution in ${product}`, daysAgo: 20 })),
    ...PRODUCTS.slice(3).map((product) => ({ title: `CVE-2026-2: remote code execution in ${product}`, daysAgo: 2 })),
    ...SOURDOUGH.map((title) => ({ title, daysAgo: 2 })),
  ];
  await upsertSignals(
    db,
    titles.map(({ title, daysAgo }, i) =>
      makeSignal({ source: 'api', sourceId: `t-${String(i)}`, title, text: '', tags: [], salience: 10 * (i % 10), discoveryScore: null, status: 'active', publishedAt: new Date(NOW.getTime() - daysAgo * DAY) }, i),
    ),
  );
  await evolveTopics(db, { now: NOW, windowDays: 30, vectors: createVectorCache({ redis: null }) });
  const [row] = await db.query<{ id: string }>(sql`SELECT id::text AS id FROM topics WHERE path = 'security/vulnerabilities'`);
  vulnerabilities = row?.id ?? '';
  // Two more days of events, for paging.
  await recordTopicEvents(db, [
    { topicId: vulnerabilities, kind: 'growth', occurredOn: '2026-01-01', details: { earlier: 1, recent: 5 } },
    { topicId: vulnerabilities, kind: 'decline', occurredOn: '2026-01-02', details: { earlier: 5, recent: 1 } },
  ]);
  setDb(db);
  app = createApp({ name: 'topics' });
  mountTopicsApi(app);
}, 60_000);

afterAll(async () => {
  await resetDb();
  vi.restoreAllMocks();
});

interface TrendingJson {
  window: { days: number; since: string; until: string };
  items: Array<{ id: string; path: string; earlier: number; recent: number; growth_rate: number; top_signals: Array<{ id: string; title: string; score: number }> }>;
}

describe('GET /v1/topics/trending', () => {
  it('ranks topics by growth over the window, with counts per half and their best signals', async () => {
    // Act
    const body = await json<TrendingJson>(await get('/v1/topics/trending?window=30d&top_signals=2'));

    // Assess
    expect(z.safeParse(trendingTopicsRoute.responses[200].schema, body).success).toBe(true);
    expect(body.window.days).toBe(30);
    expect(Date.parse(body.window.until) - Date.parse(body.window.since)).toBe(30 * DAY);
    const paths = body.items.map((item) => item.path);
    // The new sourdough topic (0 → 4) outgrows the vulnerabilities (3 → 9).
    expect(paths[0]).toBe('emergent/fermentation-sourdough');
    const vulns = body.items.find((item) => item.path === 'security/vulnerabilities');
    expect(vulns).toMatchObject({ id: vulnerabilities, earlier: 3, recent: 9, growth_rate: 2 });
    expect(vulns?.top_signals).toHaveLength(2);
    expect(vulns?.top_signals[0]?.score).toBeGreaterThanOrEqual(vulns?.top_signals[1]?.score ?? 0);
    const rates = body.items.map((item) => item.growth_rate);
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
  });

  it('defaults to 14 days, in which the older vulnerability posts no longer count', async () => {
    const body = await json<TrendingJson>(await get('/v1/topics/trending'));
    expect(body.window.days).toBe(14);
    expect(body.items.find((item) => item.path === 'security/vulnerabilities')).toMatchObject({ earlier: 0, recent: 9, growth_rate: 9 });
  });

  it.each(['1d', '91d', '14', '2w', 'abc'])('refuses window=%s with a 400 naming the field', async (window) => {
    const body = await json<ErrorJson>(await get(`/v1/topics/trending?window=${window}`), 400);
    expect(body.error.details?.map((detail) => detail.field)).toEqual(['window']);
  });

  it('refuses unknown parameters and a limit out of range', async () => {
    const body = await json<ErrorJson>(await get('/v1/topics/trending?limit=500&sort=x'), 400);
    expect(body.error.details?.map((detail) => detail.field).sort()).toEqual(['limit', 'sort']);
  });

  it('answers a wrong method with 405', async () => {
    expect((await get('/v1/topics/trending', { method: 'POST' })).status).toBe(405);
  });
});

interface TopicJson {
  id: string;
  path: string;
  kind: string;
  status: string;
  keywords: string[];
  merged_into: string | null;
  merged_from: unknown[];
  stats: { total: number; in_window: number; earlier: number; recent: number; growth_rate: number; first_seen: string | null; last_seen: string | null };
  timeline: Array<{ day: string; count: number }>;
}

describe('GET /v1/topics/{id}', () => {
  it('gives the topic with its counts and a timeline with every day of the window', async () => {
    // Act
    const body = await json<TopicJson>(await get(`/v1/topics/${vulnerabilities}?window=30d`));

    // Assess
    expect(z.safeParse(getTopicRoute.responses[200].schema, body).success).toBe(true);
    expect(body).toMatchObject({ id: vulnerabilities, path: 'security/vulnerabilities', kind: 'taxonomy', status: 'active', merged_into: null, merged_from: [] });
    expect(body.keywords).toContain('cve');
    expect(body.stats).toMatchObject({ total: 12, in_window: 12, earlier: 3, recent: 9, growth_rate: 2 });
    expect(body.timeline).toHaveLength(30);
    expect(body.timeline.at(-1)?.day).toBe(NOW.toISOString().slice(0, 10));
    expect(body.timeline.reduce((sum, entry) => sum + entry.count, 0)).toBe(12);
  });

  it('answers 404 for an unknown topic and 400 for an id that is not one', async () => {
    expect((await json<ErrorJson>(await get('/v1/topics/999999999'), 404)).error.code).toBe('not_found');
    expect((await json<ErrorJson>(await get('/v1/topics/abc'), 400)).error.details?.[0]).toMatchObject({ location: 'params', field: 'id' });
  });
});

interface EventsJson {
  items: Array<{ id: string; kind: string; occurred_on: string; details: Record<string, unknown> }>;
  next_cursor: string | null;
}

describe('GET /v1/topics/{id}/events', () => {
  it('lists events newest first, page by page', async () => {
    // Act
    const seen: EventsJson['items'] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const body: EventsJson = await json<EventsJson>(await get(`/v1/topics/${vulnerabilities}/events?limit=1${suffix}`));
      expect(z.safeParse(topicEventsRoute.responses[200].schema, body).success).toBe(true);
      seen.push(...body.items);
      cursor = body.next_cursor;
    } while (cursor !== null);

    // Assess
    expect(seen.map((event) => [event.kind, event.occurred_on])).toEqual([
      ['growth', NOW.toISOString().slice(0, 10)],
      ['decline', '2026-01-02'],
      ['growth', '2026-01-01'],
    ]);
    expect(seen[0]?.details).toMatchObject({ earlier: 3, recent: 9, rate: 2 });
  });

  it('filters by kind, and refuses a cursor it did not issue', async () => {
    const declines = await json<EventsJson>(await get(`/v1/topics/${vulnerabilities}/events?kind=decline`));
    expect(declines.items.map((event) => event.kind)).toEqual(['decline']);
    expect((await get(`/v1/topics/${vulnerabilities}/events?cursor=bm9wZQ`)).status).toBe(400);
    expect((await get(`/v1/topics/${vulnerabilities}/events?kind=grow`)).status).toBe(400);
  });

  it('answers 404 for an unknown topic', async () => {
    expect((await get('/v1/topics/424242424/events')).status).toBe(404);
  });
});

describe('the OpenAPI document', () => {
  it('describes the three topics routes', () => {
    const document = openApiDocument() as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(document.paths['/v1/topics/trending']?.get?.operationId).toBe('trendingTopics');
    expect(document.paths['/v1/topics/{id}']?.get?.operationId).toBe('getTopic');
    expect(document.paths['/v1/topics/{id}/events']?.get?.operationId).toBe('topicEvents');
  });
});
