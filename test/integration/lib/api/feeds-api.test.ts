// The feeds API through the app on both drivers: a watch's signals as Atom 1.0, RSS 2.0 and JSON
// Feed 1.1, read back by a real feed parser (rss-parser) and a strict XML validator
// (fast-xml-parser), with the awkward fixtures a feed meets — `&`, `<script>`, `]]>` twice, emoji,
// right-to-left text, a control character. Conditional GETs get 304s; unknown, rotated or revoked
// tokens 404; malformed ones 400.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { FEED_CACHE_CONTROL, mountFeedsApi } from '../../../../lib/api/feeds-api.js';
import { generateApiKey } from '../../../../lib/auth/api-key.js';
import { createApiKey, revokeApiKey } from '../../../../lib/db/api-keys-repo.js';
import { setDb } from '../../../../lib/db/client.js';
import { sql } from '../../../../lib/db/sql.js';
import { upsertSignals } from '../../../../lib/db/signals-upsert.js';
import type { Db } from '../../../../lib/db/types.js';
import { deleteWatch, rotateFeedToken, updateWatch } from '../../../../lib/db/watches-repo.js';
import { generateFeedToken } from '../../../../lib/delivery/feed-token.js';
import { createApp, type App } from '../../../../lib/http/app.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { makeSignal } from '../../../support/signal-factory.js';
import { newWatch } from '../../../support/webhook-watch.js';

const ORIGIN = 'https://api.example.test';
const BASE = new Date('2026-02-01T00:00:00Z');

/** The awkward ones, newest harvested last (so first in the feed). */
const FIXTURES = [
  { sourceId: 'amp', title: 'Tom & Jerry <script>alert(1)</script> "quoted" \'single\'', text: 'Body with <b>tags</b> & ampersands', author: 'AT&T <labs>', url: 'https://example.com/a?x=1&y=2' },
  { sourceId: 'cdata', title: 'Ends ]]> twice ]]> here', text: 'Text ]]> with ]]> CDATA ends', author: null, url: 'https://example.com/cdata' },
  { sourceId: 'emoji', title: 'Launch 🚀 day 👩🏽‍💻', text: 'Rocket 🚀 text', author: 'Zoë', url: 'https://example.com/emoji' },
  { sourceId: 'rtl', title: 'مرحبا بالعالم — שלום עולם', text: 'نص عربي ועברית', author: 'كاتب', url: 'https://example.com/rtl' },
  { sourceId: 'ctrl', title: 'Bell\u0007 and form\u000Cfeed', text: 'Vertical\u000Btab', author: null, url: 'not a url' },
] as const;

const CLEAN_TITLES = [
  'Tom & Jerry <script>alert(1)</script> "quoted" \'single\'',
  'Ends ]]> twice ]]> here',
  'Launch 🚀 day 👩🏽‍💻',
  'مرحبا بالعالم — שלום עולם',
  'Bell and formfeed',
];

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });

/** What a reader shows for Atom's type="html" text: the HTML's text. */
function htmlDecode(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

describeOnDrivers('the feeds API on $driver', ({ open }) => {
  let app: App;
  let db: Db;
  let token: string;
  let watchId: string;
  let ownerId: string;

  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> => Promise.resolve(app.request(`${ORIGIN}${path}`, { headers }));

  async function ok(path: string): Promise<{ response: Response; body: string }> {
    const response = await get(path);
    const body = await response.text();
    expect(response.status, body).toBe(200);
    return { response, body };
  }

  beforeAll(async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    ({ db } = await open());
    setDb(db);
    await upsertSignals(
      db,
      FIXTURES.map((fixture, i) =>
        makeSignal({ ...fixture, source: 'feedtest', kind: 'story', tags: ['a&b', 'x<y'], category: 'R&D', salience: 60, discoveryScore: null, status: 'active', publishedAt: new Date(BASE.getTime() - i * 3_600_000), fetchedAt: new Date(BASE.getTime() + i * 60_000) }, i),
      ),
    );
    const key = generateApiKey();
    ownerId = (await createApiKey(db, { name: 'feed owner', tier: 'api_key', prefix: key.prefix, hash: key.hash })).id;
    ({ id: watchId, feedToken: token } = await newWatch(db, { owner: ownerId, name: 'Odd & <ends> 🚀', filter: { source: 'feedtest' } }));
    app = createApp({ name: 'feeds' });
    mountFeedsApi(app);
  });

  afterAll(() => {
    vi.restoreAllMocks();
  });

  it('serves valid Atom 1.0 with every required element, which a feed parser reads back intact', async () => {
    // Act
    const { response, body } = await ok(`/v1/feeds/${token}.atom`);

    // Assess: well-formed XML with Atom's required elements (RFC 4287 §4.1.1, §4.1.2).
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(XMLValidator.validate(body)).toBe(true);
    const doc = xml.parse(body) as { feed: { '@xmlns': string; id: string; title: unknown; updated: string; entry: Array<Record<string, unknown>> } };
    expect(doc.feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(doc.feed.id).toBe(`${ORIGIN}/v1/watches/${watchId}`);
    expect(Date.parse(doc.feed.updated)).not.toBeNaN();
    expect(doc.feed.entry).toHaveLength(FIXTURES.length);
    for (const entry of doc.feed.entry) {
      expect(entry).toHaveProperty('id');
      expect(entry).toHaveProperty('title');
      expect(entry).toHaveProperty('updated');
      expect(entry).toHaveProperty('link');
    }
    const parsed = await new Parser().parseString(body);
    expect(parsed.title).toBe('Signal Harvester: Odd & <ends> 🚀');
    expect(parsed.items.map((item) => htmlDecode(item.title ?? ''))).toEqual([...CLEAN_TITLES].reverse());
    expect(parsed.items.map((item) => item.link)).toContain('https://example.com/a?x=1&y=2');
    // A URL that is none falls back to the signal's API URL.
    expect(parsed.items[0]?.link).toMatch(new RegExp(`^${ORIGIN}/v1/signals/[0-9]+$`));
    expect(body).not.toContain('<script>');
    expect(body).not.toContain('\u0007');
  });

  it('serves valid RSS 2.0 with every required element, which a feed parser reads back intact', async () => {
    const { response, body } = await ok(`/v1/feeds/${token}.rss`);

    expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(XMLValidator.validate(body)).toBe(true);
    const doc = xml.parse(body) as { rss: { '@version': string; channel: { title: string; link: string; description: string; item: Array<Record<string, unknown>> } } };
    expect(doc.rss['@version']).toBe('2.0');
    expect(doc.rss.channel.link).toBe(`${ORIGIN}/v1/signals`);
    expect(doc.rss.channel.description).toBeTruthy();
    expect(doc.rss.channel.item).toHaveLength(FIXTURES.length);
    for (const item of doc.rss.channel.item) for (const field of ['title', 'link', 'guid', 'pubDate']) expect(item).toHaveProperty(field);
    const parsed = await new Parser().parseString(body);
    // RSS titles are text; `]]>` carries a zero-width space so the CDATA section survives.
    expect(parsed.items.map((item) => (item.title ?? '').replaceAll('\u200B', ''))).toEqual([...CLEAN_TITLES].reverse());
    expect(parsed.items.find((item) => item.title?.startsWith('Tom'))?.contentSnippet).toBe('Body with <b>tags</b> & ampersands');
    expect(asList(doc.rss.channel.item[4]?.category)).toEqual(['R&D', 'a&b', 'xy']);
  });

  it('serves JSON Feed 1.1', async () => {
    const { response, body } = await ok(`/v1/feeds/${token}.json`);

    expect(response.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const feed = JSON.parse(body) as { version: string; title: string; feed_url: string; items: Array<{ id: string; url: string; title: string; content_text: string; authors?: Array<{ name: string }>; date_published: string }> };
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.feed_url).toBe(`${ORIGIN}/v1/feeds/${token}.json`);
    expect(feed.items.map((item) => item.title)).toEqual(FIXTURES.map((fixture) => fixture.title).reverse());
    expect(feed.items.find((item) => item.title.startsWith('Tom'))?.authors).toEqual([{ name: 'AT&T <labs>' }]);
    for (const item of feed.items) {
      expect(item.id).toMatch(new RegExp(`^${ORIGIN}/v1/signals/[0-9]+$`));
      expect(item.content_text).toBeTruthy();
      expect(Date.parse(item.date_published)).not.toBeNaN();
    }
  });

  it('answers a conditional GET with 304 and no body until something changes, with headers a CDN can use', async () => {
    // Prepare
    const first = await get(`/v1/feeds/${token}.atom`);
    const etag = first.headers.get('etag') ?? '';
    const lastModified = first.headers.get('last-modified') ?? '';

    // Act
    const byTag = await get(`/v1/feeds/${token}.atom`, { 'if-none-match': `"other", ${etag}` });
    const byDate = await get(`/v1/feeds/${token}.atom`, { 'if-modified-since': lastModified });
    const otherFormat = await get(`/v1/feeds/${token}.rss`, { 'if-none-match': etag });
    await db.query(sql`UPDATE signals SET updated_at = now() + interval '1 second', title = 'changed' WHERE source_id = 'emoji' AND source = 'feedtest'`);
    const afterChange = await get(`/v1/feeds/${token}.atom`, { 'if-none-match': etag, 'if-modified-since': lastModified });

    // Assess
    expect(first.headers.get('cache-control')).toBe(FEED_CACHE_CONTROL);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(new Date(lastModified).toUTCString()).toBe(lastModified);
    expect(byTag.status).toBe(304);
    expect(await byTag.text()).toBe('');
    expect(byTag.headers.get('etag')).toBe(etag);
    expect(byDate.status).toBe(304);
    expect(otherFormat.status).toBe(200);
    expect(afterChange.status).toBe(200);
    expect(afterChange.headers.get('etag')).not.toBe(etag);
  });

  it('keeps to a limit and refuses one out of range', async () => {
    const feed = JSON.parse((await ok(`/v1/feeds/${token}.json?limit=2`)).body) as { items: unknown[] };
    expect(feed.items).toHaveLength(2);
    expect((await get(`/v1/feeds/${token}.json?limit=101`)).status).toBe(400);
  });

  it('serves an edit, and a deletion, on the very next request although the look-up and the body are cached', async () => {
    // Prepare: a second watch, read twice so its look-up and its rendered body are cached
    const watch = await newWatch(db, { owner: ownerId, name: 'Before', filter: { source: 'feedtest' } });
    const path = `/v1/feeds/${watch.feedToken}.json`;
    await ok(path);
    const cached = JSON.parse((await ok(path)).body) as { title: string; items: unknown[] };

    // Act
    await updateWatch(db, { owner: undefined }, watch.id, { name: 'After', filter: { source: 'feedtest', q: 'rocket' } });
    const edited = JSON.parse((await ok(path)).body) as { title: string; items: unknown[] };
    await deleteWatch(db, { owner: undefined }, watch.id);
    const deleted = await get(path);

    // Assess
    expect(cached.title).toBe('Signal Harvester: Before');
    expect(cached.items).toHaveLength(FIXTURES.length);
    expect(edited.title).toBe('Signal Harvester: After');
    expect(edited.items).toHaveLength(1);
    expect(deleted.status).toBe(404);
  });

  it('answers 400 for a malformed address and 404 for an unknown, rotated or revoked token', async () => {
    expect((await get(`/v1/feeds/${token}.xml`)).status).toBe(400);
    expect((await get('/v1/feeds/shk_abc.atom')).status).toBe(400);
    expect((await get(`/v1/feeds/${generateFeedToken().token}.atom`)).status).toBe(404);

    const next = generateFeedToken();
    await rotateFeedToken(db, { owner: undefined }, watchId, next.hash, next.prefix);
    expect((await get(`/v1/feeds/${token}.atom`)).status).toBe(404);
    expect((await get(`/v1/feeds/${next.token}.atom`)).status).toBe(200);

    await revokeApiKey(db, ownerId);
    const revoked = await get(`/v1/feeds/${next.token}.atom`);
    expect(revoked.status).toBe(404);
    expect(await revoked.text()).not.toContain(next.token);
  });
});
