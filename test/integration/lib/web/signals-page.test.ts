// The web function's signals page through the app (app.request, no server) on both drivers: the
// frame (lang, landmarks, the hashed stylesheet), the page's CSP with a fresh nonce per request,
// compression, filters, search and keyset paging forward and back, the API's validation shown on
// the form as a 400, and the awkward fixtures (`<script>`, `&`, RTL, emoji, a javascript: URL)
// escaped as text, never live markup.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { setDb } from '../../../../lib/db/client.js';
import { insertEdges } from '../../../../lib/db/signal-edges-repo.js';
import { upsertSignals } from '../../../../lib/db/signals-upsert.js';
import { sql } from '../../../../lib/db/sql.js';
import { createApp, type App } from '../../../../lib/http/app.js';
import { assetPath } from '../../../../lib/web/assets/assets.js';
import { SIGNAL_PAGES } from '../../../../lib/web/pages/index.js';
import { mountWeb } from '../../../../lib/web/web-app.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { makeSignal } from '../../../support/signal-factory.js';

const ORIGIN = 'https://dashboard.example.test';

const FIXTURES: readonly { sourceId: string; title: string; url: string; tags: string[] }[] = [
  { sourceId: 'xss', title: 'Tom & Jerry <script>alert(1)</script> "quoted" \'single\'', url: 'javascript:alert(2)', tags: ['<b>tag</b>'] },
  { sourceId: 'emoji', title: 'Launch 🚀 day 👩🏽‍💻', url: 'https://example.com/emoji?a=1&b=2', tags: [] },
  { sourceId: 'rtl', title: 'مرحبا بالعالم — שלום עולם', url: 'https://example.com/rtl', tags: [] },
];

/** The page's text with tags removed and the five escapes undone: what a reader sees. */
function visibleText(markup: string): string {
  return markup
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describeOnDrivers('the signals page on $driver', ({ open }) => {
  let app: App;

  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> => Promise.resolve(app.request(`${ORIGIN}${path}`, { headers }));

  async function page(path: string, status = 200): Promise<{ response: Response; body: string }> {
    const response = await get(path);
    const body = await response.text();
    expect(response.status, body).toBe(status);
    return { response, body };
  }

  beforeAll(async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { db } = await open();
    const published = new Date(Date.now() - 3_600_000);
    await upsertSignals(db, [
      ...FIXTURES.map((fixture, i) => makeSignal({ source: 'hackernews', kind: 'post', salience: 90 - i, discoveryScore: null, publishedAt: published, text: 'Body <img src=x onerror=alert(3)> & more', ...fixture, tags: [...fixture.tags] }, i)),
      ...Array.from({ length: 45 }, (_, i) => makeSignal({ source: 'reddit', kind: 'post', sourceId: `r-${String(i)}`, title: `Filler signal ${String(i)}`, salience: 50 - i, discoveryScore: null, publishedAt: published, tags: ['filler'] }, i + 10)),
    ]);
    // The graph: the emoji signal discusses the <script> one; the <script> one cites a paper not harvested yet.
    const ids = await db.query<{ id: string; sourceId: string }>(sql`SELECT id::text AS id, source_id AS "sourceId" FROM signals WHERE source_id IN ('xss', 'emoji')`);
    const idOf = (sourceId: string): string => ids.find((row) => row.sourceId === sourceId)?.id ?? '';
    await insertEdges(db, [
      { fromSignalId: idOf('emoji'), toIdentifier: `signal:${idOf('xss')}`, toSignalId: idOf('xss'), type: 'discusses', confidence: 0.9, evidence: { via: 'url' } },
      { fromSignalId: idOf('xss'), toIdentifier: 'url:https://example.com/<script>', type: 'cites', confidence: 0.5, evidence: {} },
    ]);
    setDb(db);
    app = createApp({ name: 'web' });
    mountWeb(SIGNAL_PAGES)(app);
  });

  afterAll(() => {
    vi.restoreAllMocks();
  });

  it('answers / with the frame: lang, landmarks, skip link, the hashed stylesheet, no script', async () => {
    // Act
    const { response, body } = await page('/');

    // Assess
    expect(response.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(body).toMatch(/^<!doctype html>\n<html lang="en">/);
    for (const landmark of ['<header class="site">', '<nav class="main" aria-label="Main">', '<main id="content"', '<footer class="site">']) expect(body).toContain(landmark);
    expect(body).toContain(`<link rel="stylesheet" href="${assetPath('style.css')}">`);
    expect(body).not.toMatch(/<script/i);
  });

  it('sends a strict CSP with a fresh nonce on every page, and no-store', async () => {
    // Act
    const [first, second] = await Promise.all([get('/signals'), get('/signals')]);

    // Assess
    const csp = first.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^default-src 'none'; script-src 'self' 'nonce-[A-Za-z0-9+/]{22}=='; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/);
    expect(second.headers.get('content-security-policy')).not.toBe(csp);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('escapes what sources sent: no live script, no javascript: link, and the text survives', async () => {
    // Act
    const { body } = await page('/signals?limit=5');

    // Assess
    expect(body).not.toMatch(/<script/i);
    expect(body).not.toContain('javascript:');
    expect(body).not.toContain('<b>tag</b>');
    expect(body).toContain('Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &#39;single&#39;');
    const text = visibleText(body);
    for (const fixture of FIXTURES) expect(text).toContain(fixture.title);
    expect(text).toContain('<b>tag</b>');
    expect(body).toContain('href="https://example.com/emoji?a=1&amp;b=2"');
  });

  it('compresses with brotli or gzip as the client accepts', async () => {
    // Act
    const plain = await (await get('/signals?limit=50')).text();
    const br = await get('/signals?limit=50', { 'accept-encoding': 'gzip, deflate, br' });
    const gzip = await get('/signals?limit=50', { 'accept-encoding': 'gzip' });

    // Assess
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(br.headers.get('vary')).toContain('Accept-Encoding');
    const brText = brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString('utf8');
    const gzipText = gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString('utf8');
    // The nonce differs per request; everything else is the same page.
    const withoutNonce = (text: string): string => text.replace(/nonce-[^']+/g, '');
    expect(withoutNonce(brText)).toBe(withoutNonce(plain));
    expect(withoutNonce(gzipText)).toBe(withoutNonce(plain));
  });

  it('pages forward with next and back with previous, the filters kept, no row twice', async () => {
    // Prepare
    const seen: string[] = [];
    const idsOf = (body: string): string[] => [...body.matchAll(/<a class="title" dir="auto" href="\/signals\/(\d+)">/g)].map((m) => m[1] ?? '');
    const linkOf = (body: string, rel: 'next' | 'prev'): string | undefined =>
      [...body.matchAll(/<a class="(?:next|prev)" rel="(next|prev)" href="([^"]+)">/g)].find((m) => m[1] === rel)?.[2]?.replace(/&amp;/g, '&');

    // Act: three pages of 20 forward (48 signals: 20, 20, 8), then back twice
    const pages: string[] = [];
    let path: string | undefined = '/signals?sort=score&limit=20';
    while (path !== undefined) {
      const { body } = await page(path);
      pages.push(path);
      seen.push(...idsOf(body));
      path = linkOf(body, 'next');
    }
    const third = (await page(pages[2] ?? '')).body;
    const backToSecond = linkOf(third, 'prev') ?? '';
    const second = (await page(backToSecond)).body;
    const backToFirst = linkOf(second, 'prev') ?? '';

    // Assess
    expect(pages).toHaveLength(3);
    expect(seen).toHaveLength(48);
    expect(new Set(seen).size).toBe(48);
    expect(backToSecond).toBe(pages[1]);
    expect(idsOf(second)).toEqual(seen.slice(20, 40));
    expect(backToFirst).toBe('/signals?sort=score&limit=20');
    expect(pages[1]).toContain('sort=score');
  });

  it('filters and searches through the query string (a shareable URL)', async () => {
    // Act
    const { body: byTag } = await page('/signals?tag=filler&limit=100');
    const { body: bySource } = await page('/signals?source=hackernews&kind=post');
    const { body: searched } = await page('/signals?q=launch');
    const { body: empty } = await page('/signals?q=&kind=&source=&min_score=&since=&until=');

    // Assess
    expect(byTag.match(/">Filler signal/g)).toHaveLength(45);
    expect(bySource).toContain('Launch 🚀 day');
    expect(bySource).not.toContain('Filler signal');
    expect(visibleText(searched)).toContain('Launch 🚀 day 👩🏽‍💻');
    expect(searched).not.toContain('Filler signal');
    expect(searched).toContain('<option value="post"');
    expect(empty).toContain('Filler signal');
  });

  it('answers a bad parameter with the form showing the error, 400, the values kept and escaped', async () => {
    // Act
    const { body } = await page('/signals?kind=podcast&min_score=101&limit=5000&bogus=%3Cscript%3E', 400);
    const { body: badCursor } = await page('/signals?cursor=not-a-cursor', 400);
    const { body: badTrail } = await page('/signals?cursor=abc&trail=%3Cx%3E', 400);
    const { body: badDate } = await page('/signals?since=yesterday', 400);

    // Assess
    expect(body).toContain('<div class="errors" role="alert">');
    for (const field of ['kind', 'min_score', 'limit', 'bogus']) expect(body).toContain(`>${field}</a>`);
    expect(body).toContain('id="f-min_score" name="min_score" type="number" value="101"');
    expect(body).toMatch(/id="f-min_score"[^>]*aria-invalid="true" aria-describedby="f-min_score-error"/);
    expect(body).not.toMatch(/<script/i);
    expect(body).toContain('<form class="filters"');
    expect(badCursor).toContain('>cursor</a> is not a cursor this API issued');
    expect(badTrail).toContain('>trail</a> is not a trail this site issued');
    expect(badDate).toContain('>since</a>');
  });

  it('shows one signal: score breakdown, sources, engagement, the text escaped', async () => {
    // Prepare
    const { body: list } = await page('/signals?source=hackernews&kind=post&limit=3');
    const id = /href="\/signals\/(\d+)">Tom &amp; Jerry/.exec(list)?.[1] ?? '';

    // Act
    const { body } = await page(`/signals/${id}`);

    // Assess
    expect(body).toContain('<h1 dir="auto">Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).toContain('<h2>Why this score</h2>');
    expect(body).toContain('<h2>Sources and mentions</h2>');
    expect(body).toMatch(/<td>discussed by<\/td><td><a href="\/signals\/\d+" dir="auto">Launch 🚀 day 👩🏽‍💻<\/a> <span class="muted">\(hackernews, post\)<\/span><\/td><td class="num">90 %<\/td>/);
    expect(body).toContain('<td>cites</td><td><span class="muted">not harvested yet:</span> <code dir="auto">url:https://example.com/&lt;script&gt;</code>');
    expect(body).toContain('Body &lt;img src=x onerror=alert(3)&gt; &amp; more');
    expect(body).not.toMatch(/<script|<img|href="javascript:/i);
    expect(body).toContain('aria-current="page"');
  });

  it('shows every awkward fixture on its own page as text: <script> and & escaped, RTL and emoji intact, direction left to the text', async () => {
    // Prepare
    const { body: list } = await page('/signals?source=hackernews&kind=post&limit=3');
    const ids = [...list.matchAll(/<a class="title" dir="auto" href="\/signals\/(\d+)">/g)].map((match) => match[1] ?? '');
    expect(ids).toHaveLength(FIXTURES.length);

    for (const id of ids) {
      // Act
      const { body } = await page(`/signals/${id}`);

      // Assess: the title as the <title>, the h1 (dir="auto"), the text; no live markup anywhere
      const title = /<h1 dir="auto">([^<]*)<\/h1>/.exec(body)?.[1] ?? '';
      const fixture = FIXTURES.find((candidate) => visibleText(title) === candidate.title);
      expect(fixture, title).toBeDefined();
      expect(body).toContain(`<title>${title} · Signal Harvester</title>`);
      expect(body).not.toMatch(/<script|<img|<b>|href="javascript:/i);
      expect(visibleText(body)).toContain('Body <img src=x onerror=alert(3)> & more');
      if (fixture?.sourceId === 'rtl') expect(body).toContain('<h1 dir="auto">مرحبا بالعالم — שלום עולם</h1>');
      if (fixture?.sourceId === 'emoji') {
        expect(body).toContain('<h1 dir="auto">Launch 🚀 day 👩🏽‍💻</h1>');
        expect(body).toContain('href="https://example.com/emoji?a=1&amp;b=2"');
      }
      if (fixture?.sourceId === 'xss') expect(body).toContain('<dd dir="auto">javascript:alert(2)</dd>'); // shown, never a link
    }
  });

  it('answers an unknown signal with the 404 page and a malformed id with 400, as pages', async () => {
    // Act
    const missing = await page('/signals/999999999', 404);
    const malformed = await page('/signals/abc', 400);
    const nowhere = await page('/no/such/page', 404);

    // Assess
    for (const { response, body } of [missing, malformed, nowhere]) {
      expect(response.headers.get('content-type')).toBe('text/html; charset=UTF-8');
      expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self' 'nonce-/);
      expect(body).toContain('<main id="content"');
    }
    expect(missing.body).toContain('no signal with id 999999999');
  });

  it('answers a POST to a page with 405 and Allow, as a page', async () => {
    // Act
    const response = await app.request(`${ORIGIN}/signals`, { method: 'POST' });

    // Assess
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(await response.text()).toContain('Method not allowed');
  });

  it('serves the stylesheet under its content hash, immutable for a year, compressed; an old hash is a 404', async () => {
    // Act
    const path = assetPath('style.css');
    const plain = await get(path);
    const br = await get(path, { 'accept-encoding': 'br' });
    const stale = await get('/assets/style.000000000000.css');

    // Assess
    expect(path).toMatch(/^\/assets\/style\.[0-9a-f]{12}\.css$/);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const css = await plain.text();
    expect(css).toContain('prefers-color-scheme:dark');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString('utf8')).toBe(css);
    expect(stale.status).toBe(404);
  });

  it('lists discoveries by discovery score, and shows a bad min_score on its form with 400', async () => {
    // Act
    const { body } = await page('/discoveries');
    const { body: bad } = await page('/discoveries?min_score=-1', 400);

    // Assess
    expect(body).toContain('<h1 dir="auto">Discoveries</h1>');
    expect(bad).toContain('>min_score</a>');
  });
});
