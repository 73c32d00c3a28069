// The web function's topic pages through the app on both drivers: trending topics with an inline
// SVG sparkline of daily counts, a topic with its timeline and its events (emerge, growth, merge,
// split) paged newest first, a topic name carrying `<script>`, `&` and RTL text escaped, and the
// API's validation (window, kind, cursor) shown on the form as a 400; an unknown topic is the 404 page.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { setDb } from '../../../../lib/db/client.js';
import { sql } from '../../../../lib/db/sql.js';
import { upsertSignals } from '../../../../lib/db/signals-upsert.js';
import { assignSignalTopics, recordTopicEvents, upsertTaxonomyTopics } from '../../../../lib/db/topics-repo.js';
import { createApp, type App } from '../../../../lib/http/app.js';
import { TOPIC_PAGES } from '../../../../lib/web/pages/topic-pages.js';
import { mountWeb } from '../../../../lib/web/web-app.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { makeSignal } from '../../../support/signal-factory.js';

const ORIGIN = 'https://dashboard.example.test';
const DAY = 86_400_000;
const NAME = 'Agents <script>alert(1)</script> & وكلاء 🤖';

describeOnDrivers('the topic pages on $driver', ({ open }) => {
  let app: App;
  let topicId: string;
  let otherId: string;

  async function page(path: string, status = 200): Promise<string> {
    const response = await app.request(`${ORIGIN}${path}`);
    const body = await response.text();
    expect(response.status, body).toBe(status);
    expect(response.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    return body;
  }

  beforeAll(async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { db } = await open();
    await upsertTaxonomyTopics(db, [
      { path: 'ai/agents', name: NAME, keywords: ['agent', 'tool use'] },
      { path: 'ai/old-agents', name: 'Old agents', keywords: ['agent'] },
    ]);
    const topics = await db.query<{ id: string; path: string }>(sql`SELECT id::text AS id, path FROM topics ORDER BY path`);
    topicId = topics.find((t) => t.path === 'ai/agents')?.id ?? '';
    otherId = topics.find((t) => t.path === 'ai/old-agents')?.id ?? '';
    // 1 member 10 days ago, 4 two days ago, 3 today: growing over a 14-day window.
    const now = Date.now();
    const ages = [10, 2, 2, 2, 2, 0, 0, 0];
    await upsertSignals(
      db,
      ages.map((days, i) => makeSignal({ source: 'hackernews', kind: 'post', sourceId: `t-${String(i)}`, title: `Agent story ${String(i)}`, salience: 40 + i, discoveryScore: null, status: 'active', publishedAt: new Date(now - days * DAY - 60_000) }, i)),
    );
    const ids = await db.query<{ id: string }>(sql`SELECT id::text AS id FROM signals WHERE source_id LIKE 't-%' ORDER BY source_id`);
    await assignSignalTopics(db, ids.map(({ id }) => ({ signalId: id, topicId, weight: 1 })));
    await recordTopicEvents(db, [
      { topicId, kind: 'emerge', occurredOn: '2026-01-01', details: { path: 'ai/agents', members: 3 } },
      { topicId, kind: 'growth', occurredOn: '2026-01-02', details: { earlier: 1, recent: 5 } },
      { topicId, kind: 'merge', occurredOn: '2026-01-03', details: { from: { id: otherId, path: 'ai/old-agents' }, into: { id: topicId, path: 'ai/agents' } } },
      { topicId, kind: 'split', occurredOn: '2026-01-04', details: { path: 'ai/agents', similarity: 0.4321 } },
    ]);
    setDb(db);
    app = createApp({ name: 'web' });
    mountWeb(TOPIC_PAGES)(app);
  });

  afterAll(() => {
    vi.restoreAllMocks();
  });

  it('lists trending topics with a sparkline of daily counts as inline SVG, the name escaped', async () => {
    // Act
    const body = await page('/topics?window=14d');

    // Assess
    expect(body).toContain(`<a href="/topics/${topicId}" dir="auto">Agents &lt;script&gt;alert(1)&lt;/script&gt; &amp; وكلاء 🤖</a>`);
    expect(body).not.toMatch(/<script/i);
    const svg = /<svg class="spark" width="160" height="40" viewBox="0 0 160 40"[^>]*role="img" aria-label="([^"]*)"/.exec(body);
    expect(svg?.[1]).toContain('8 signals from');
    expect(body).toMatch(/<polyline class="line" points="(\d+(\.\d)?,\d+(\.\d)? ){13}\d+(\.\d)?,\d+(\.\d)?"\/>/);
    expect(body).toContain('Agent story 7');
  });

  it('shows a topic: facts, timeline bars, and its events newest first with links to merged topics', async () => {
    // Act
    const body = await page(`/topics/${topicId}?window=14d`);

    // Assess
    expect(body).toContain('<h1 dir="auto">Agents &lt;script&gt;alert(1)&lt;/script&gt; &amp; وكلاء 🤖</h1>');
    expect(body.match(/<rect /g)).toHaveLength(14);
    expect(body).toContain('8 in all, 8 in the last 14 days');
    const kinds = [...body.matchAll(/<td class="event-kind">(\w+)<\/td>/g)].map((m) => m[1]);
    expect(kinds).toEqual(['Split', 'Merged', 'Grew', 'Emerged']);
    expect(body).toContain(`<a href="/topics/${otherId}" dir="auto">ai/old-agents</a>`);
    expect(body).toContain('similarity: <span dir="auto">0.432</span>');
  });

  it('pages the events with next and previous, and filters them by kind', async () => {
    // Act
    const first = await page(`/topics/${topicId}?limit=2`);
    const next = /<a class="next" rel="next" href="([^"]+)">/.exec(first)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const second = await page(next);
    const merges = await page(`/topics/${topicId}?kind=merge`);

    // Assess
    expect([...first.matchAll(/<td class="event-kind">(\w+)/g)].map((m) => m[1])).toEqual(['Split', 'Merged']);
    expect([...second.matchAll(/<td class="event-kind">(\w+)/g)].map((m) => m[1])).toEqual(['Grew', 'Emerged']);
    expect(second).toContain(`<a class="prev" rel="prev" href="/topics/${topicId}?limit=2">`);
    expect([...merges.matchAll(/<td class="event-kind">(\w+)/g)].map((m) => m[1])).toEqual(['Merged']);
  });

  it('shows a bad window, kind or cursor on the form with 400; an unknown topic is the 404 page', async () => {
    // Act
    const badWindow = await page('/topics?window=1y', 400);
    const badKind = await page(`/topics/${topicId}?kind=explode&window=400d`, 400);
    const badCursor = await page(`/topics/${topicId}?cursor=nope`, 400);
    const unknown = await page('/topics/999999999', 404);
    const malformed = await page('/topics/x1', 400);

    // Assess
    expect(badWindow).toContain('>window</a>');
    expect(badWindow).toContain('<option value="1y" selected>');
    expect(badKind).toContain('>kind</a>');
    expect(badKind).toContain('>window</a>');
    expect(badCursor).toContain('>cursor</a>');
    expect(unknown).toContain('no topic with id 999999999');
    expect(malformed).toContain('Bad request');
  });
});
