// The web function's signals page through the app (app.request, no server) on both drivers: the
// frame (lang, landmarks, the hashed stylesheet), the page's CSP with a fresh nonce per request,
// compression, filters, search and keyset paging forward and back, the API's validation shown on
// the form as a 400, and the awkward fixtures (`<script>`, `&`, RTL, emoji, a javascript: URL)
// escaped as text, never live markup.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { setDb } from '../../../../lib/db/client.js';
import { upsertSignals } from '../../../../lib/db/signals-upsert.js';
import { createApp, type App } from '../../../../lib/http/app.js';
import { assetPath } from '../../../../lib/web/assets/assets.js';
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
    setDb(db);
    app = createApp({ name: 'web' });
    mountWeb(app);
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
});
