// The dashboard as a person uses it, in a real browser: Debian's Chromium driven by playwright-core
// against the local runtime (the real serverless.yml and functions, PGlite seeded once for the file
// by test/support/dashboard-seed.ts). Browse, filter, search and page forward and back; open a
// signal from the list (its score breakdown, sources and mentions, related signals both ways) and
// follow the graph with the browser's back and forward; open a topic from trending topics (its
// sparkline, timeline and paged events); sign in with the bootstrap admin key, run a job, manage
// keys, sign out; a cross-site POST is refused and a forged cookie signed out. Every page, in light
// and dark mode, passes axe-core with no serious violation and shifts no layout while loading.
// Screenshots land in test-artifacts/web-dashboard/ (the README's come from there).
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../lib/db/sql.js';
import { expectAccessible, layoutShift, launchBrowser, type TestBrowser } from '../support/browser.js';
import { CITED_TITLE, DISCUSSING_TITLE, FEATURED_TITLE, PENDING_IDENTIFIER, seedDashboard, TOPIC_EVENTS, TOPIC_NAME, type DashboardSeed } from '../support/dashboard-seed.js';
import { E2E_START_TIMEOUT_MS, startE2eRuntime, type E2eRuntime } from '../support/e2e-runtime.js';

const ADMIN_KEY = `bootstrap-${randomBytes(24).toString('hex')}`;
const SIGNALS = 45;
const SESSION_COOKIE = '__Host-shd_session';
/** A browser test of several pages on a busy 2-core machine. */
const TEST_TIMEOUT_MS = 60_000;

describe('the web dashboard in Chromium', () => {
  let runtime: E2eRuntime;
  let browser: TestBrowser;
  let evil: Server;
  let evilUrl: string;
  let base: string;
  let seed: DashboardSeed;

  beforeAll(async () => {
    [runtime, browser] = await Promise.all([
      startE2eRuntime({
        env: { ADMIN_API_KEY: ADMIN_KEY, LAMBDA_ENDPOINT: undefined, WEB_SESSION_SECRET: undefined },
        seed: async (db) => {
          seed = await seedDashboard(db, SIGNALS);
        },
      }),
      launchBrowser('web-dashboard'),
    ]);
    base = runtime.url;
    // Another origin (another port: to the browser a `same-site` request, which is refused like a
    // `cross-site` one) whose page posts a form to the dashboard.
    evil = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><html lang="en"><title>Elsewhere</title><form method="post" action="${base}/sign-out"><input type="hidden" name="_csrf" value="guess"><button>Win a prize</button></form></html>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const address = evil.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    evilUrl = `http://localhost:${String(address.port)}/`;
  }, E2E_START_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([browser.close(), new Promise((resolve) => evil.close(resolve)), runtime.close()]);
  });

  async function titles(page: Page): Promise<string[]> {
    return page.locator('ol.list > li a.title').allTextContents();
  }

  async function signIn(page: Page, next = '/admin/jobs'): Promise<void> {
    await page.goto(`${base}/sign-in?next=${encodeURIComponent(next)}`);
    await page.getByLabel('API key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}${next}`);
  }

  it('browses, filters, searches and pages forward and back through the signals', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${base}/`);
    expect(response?.status()).toBe(200);
    const first = await titles(page);
    expect(first).toHaveLength(20);
    expect(first[0]).toBe(FEATURED_TITLE); // the source's markup is text, not markup
    await expectAccessible(page);
    await expect(layoutShift(page)).resolves.toBe(0);
    await browser.screenshot(page, 'signals');

    await page.getByRole('link', { name: 'Next →' }).click();
    await page.waitForURL(/cursor=/);
    const second = await titles(page);
    expect(second).toHaveLength(20);
    expect(second).not.toContain(first[0]);
    await page.getByRole('link', { name: '← Previous' }).click();
    await page.waitForURL((url) => !url.search.includes('cursor='));
    expect(await titles(page)).toEqual(first);

    const word = (first[0] ?? '').split(/\s+/)[0] ?? '';
    await page.getByLabel('Search').fill(word);
    await page.getByLabel('Kind').selectOption('post');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/q=/);
    expect(new URL(page.url()).searchParams.get('kind')).toBe('post');
    await expect(page.getByRole('heading', { level: 2, name: /Results for/ }).textContent()).resolves.toContain(word);
    await expectAccessible(page);

    // A bad parameter shows the form with the error, 400, never a 500.
    const bad = await page.goto(`${base}/signals?min_score=lots`);
    expect(bad?.status()).toBe(400);
    await expect(page.locator('[aria-invalid=true]').count()).resolves.toBeGreaterThan(0);
    await expectAccessible(page);
  }, TEST_TIMEOUT_MS);

  it('opens a signal from the list: its score breakdown, sources and mentions, related signals; follows the graph, then back and forward', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const signalUrl = `${base}/signals/${seed.featuredId}`;
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: FEATURED_TITLE, exact: true }).click();
    await page.waitForURL(signalUrl);

    // What it is: the title as text everywhere, nothing of the source's markup live.
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(FEATURED_TITLE);
    await expect(page.title()).resolves.toBe(`${FEATURED_TITLE} · Signal Harvester`);
    await expect(page.locator('h1').getAttribute('dir')).resolves.toBe('auto');
    await expect(page.locator('p.text').textContent()).resolves.toBe('Body <img src=x onerror=alert(3)> & more — نص عربي 🧪');
    await expect(page.locator('main img, main script').count()).resolves.toBe(0);

    // Why this score: every term of score_details.
    const term = (name: string): Promise<string | null> => page.getByRole('table', { name: 'Score terms' }).locator('tr', { has: page.locator('th', { hasText: name }) }).locator('td').textContent();
    await expect(page.getByText('Formula salience/1', { exact: false }).count()).resolves.toBe(1);
    await expect(term('Base points')).resolves.toBe('40');
    await expect(term('Engagement points')).resolves.toBe('31.500');
    await expect(term('Category boost')).resolves.toBe('1.200');
    await expect(term('Decay')).resolves.toBe('0.970');

    // Sources and mentions.
    const fact = (name: string): Promise<string | null> => page.locator('dt', { hasText: new RegExp(`^${name}$`) }).locator('+ dd').first().textContent();
    await expect(fact('Source')).resolves.toBe('hackernews');
    await expect(fact('Mentions by other sources')).resolves.toBe('3');
    await expect(page.getByRole('link', { name: 'https://example.com/zebrafish?a=1&b=2' }).getAttribute('href')).resolves.toBe('https://example.com/zebrafish?a=1&b=2');

    // Related signals from the graph, both ways, and one not harvested yet.
    const related = page.getByRole('table', { name: 'Related signals' });
    const relation = (name: string): Promise<string | null> => related.locator('tr', { has: page.getByRole('link', { name, exact: true }) }).locator('td').first().textContent();
    await expect(relation(DISCUSSING_TITLE)).resolves.toBe('discussed by');
    await expect(relation(CITED_TITLE)).resolves.toBe('cites');
    await expect(related.locator('tr', { hasText: PENDING_IDENTIFIER }).locator('td').first().textContent()).resolves.toBe('cites');
    await expectAccessible(page);
    await expect(layoutShift(page)).resolves.toBe(0);
    await browser.screenshot(page, 'signal');

    // Follow the graph to the discussion, which sees the featured signal the other way round.
    await related.getByRole('link', { name: DISCUSSING_TITLE, exact: true }).click();
    await page.waitForURL((url) => /^\/signals\/\d+$/.test(url.pathname) && url.href !== signalUrl);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(DISCUSSING_TITLE);
    await expect(page.getByRole('table', { name: 'Related signals' }).locator('tr', { has: page.getByRole('link', { name: FEATURED_TITLE, exact: true }) }).locator('td').first().textContent()).resolves.toBe('discusses');

    // The browser's back and forward: each URL is the whole state.
    await page.goBack();
    expect(page.url()).toBe(signalUrl);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(FEATURED_TITLE);
    await page.goBack();
    expect(page.url()).toBe(`${base}/`);
    expect(await titles(page)).toHaveLength(20);
    await page.goForward();
    expect(page.url()).toBe(signalUrl);
    expect(dialogs).toEqual([]);
  }, TEST_TIMEOUT_MS);

  it('opens a topic from trending topics: sparkline, timeline, events paged forward and back and filtered by kind', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/topics`);
    const card = page.locator('li.card', { has: page.getByRole('link', { name: TOPIC_NAME, exact: true }) });
    const spark = card.getByRole('img', { name: `Daily signals in ${TOPIC_NAME}`, exact: false });
    await expect(spark.getAttribute('aria-label')).resolves.toMatch(/: \d+ signals from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}/);
    const box = await spark.boundingBox();
    expect(box?.height).toBe(40);
    expect(box?.width).toBeGreaterThan(100);
    await expect(card.textContent()).resolves.toMatch(/\+\d+ %/);
    await expectAccessible(page);
    await expect(layoutShift(page)).resolves.toBe(0);
    await browser.screenshot(page, 'topics');

    await card.getByRole('link', { name: TOPIC_NAME, exact: true }).click();
    await page.waitForURL(`${base}/topics/${seed.topicId}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(TOPIC_NAME);
    const timeline = page.locator('figure').getByRole('img');
    await expect(timeline.getAttribute('aria-label')).resolves.toContain(`Daily signals in ${TOPIC_NAME}: 9 signals from`);
    await expect(timeline.locator('rect').count()).resolves.toBeGreaterThanOrEqual(14);
    expect((await timeline.boundingBox())?.height).toBe(128);

    // Events newest first, 20 a page: the merge (linking the merged topic), then forward and back.
    const events = page.getByRole('table', { name: 'Events' });
    const kinds = (): Promise<string[]> => events.locator('tbody td.event-kind').allTextContents();
    const firstPage = await kinds();
    expect(firstPage).toHaveLength(20);
    expect(firstPage.slice(0, 2)).toEqual(['Merged', 'Split']);
    await expect(events.getByRole('link', { name: 'science/regrowth' }).count()).resolves.toBe(1);
    await expectAccessible(page);
    await expect(layoutShift(page)).resolves.toBe(0);
    await browser.screenshot(page, 'topic');
    await page.getByRole('link', { name: 'Next →' }).click();
    await page.waitForURL(/cursor=/);
    const secondPage = await kinds();
    expect(secondPage).toHaveLength(TOPIC_EVENTS - 20);
    expect(secondPage.at(-1)).toBe('Emerged');
    await page.getByRole('link', { name: '← Previous' }).click();
    await page.waitForURL((url) => !url.search.includes('cursor='));
    expect(await kinds()).toEqual(firstPage);

    await page.getByRole('combobox', { name: 'Events' }).selectOption('split');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/kind=split/);
    expect(await kinds()).toEqual(['Split']);
  }, TEST_TIMEOUT_MS);

  it('passes axe-core on every page in light mode on a desktop and dark mode on a phone, follows prefers-color-scheme, fits the screen, and shifts no layout', async () => {
    const pages: Array<{ path: string; status: number; admin?: boolean }> = [
      { path: '/', status: 200 },
      { path: `/signals/${seed.featuredId}`, status: 200 },
      { path: '/discoveries', status: 200 },
      { path: '/topics', status: 200 },
      { path: `/topics/${seed.topicId}`, status: 200 },
      { path: '/signals?min_score=lots', status: 400 },
      { path: '/signals/999999999', status: 404 },
      { path: '/topics/1?window=1y', status: 400 },
      { path: '/sign-in', status: 200 },
      { path: '/admin/jobs', status: 200, admin: true },
      { path: '/admin/keys', status: 200, admin: true },
    ];
    // Light on a desktop, dark on a phone: every page in both.
    const schemes = [
      { colorScheme: 'light', viewport: { width: 1280, height: 720 }, background: 'rgb(255, 255, 255)', text: 'rgb(26, 26, 26)' },
      { colorScheme: 'dark', viewport: { width: 390, height: 844 }, background: 'rgb(18, 20, 24)', text: 'rgb(232, 232, 232)' },
    ] as const;
    for (const scheme of schemes) {
      const page = await browser.newPage({ colorScheme: scheme.colorScheme, viewport: scheme.viewport });
      for (const { path, status, admin } of pages) {
        if (admin === true && !(await page.context().cookies(base)).some((item) => item.name === SESSION_COOKIE)) await signIn(page, path);
        const response = await page.goto(`${base}${path}`);
        expect(response?.status(), `${path} (${scheme.colorScheme})`).toBe(status);
        const colours = await page.locator('body').evaluate((body) => {
          // The browser's getComputedStyle, typed only as far as used here.
          const style = (globalThis as unknown as { getComputedStyle(element: unknown): { backgroundColor: string; color: string } }).getComputedStyle(body);
          return { background: style.backgroundColor, text: style.color };
        });
        expect(colours, `${path} (${scheme.colorScheme})`).toEqual({ background: scheme.background, text: scheme.text });
        await expectAccessible(page);
        await expect(layoutShift(page), `${path} (${scheme.colorScheme})`).resolves.toBe(0);
        // Every chart and image says its size before the stylesheet does.
        await expect(page.locator('svg:not([width][height]), img:not([width][height])').count()).resolves.toBe(0);
        // Readable at this width: nothing wider than the screen (wide tables scroll in their own box).
        const widths = await page.locator('html').evaluate((root) => {
          const element = root as unknown as { scrollWidth: number; clientWidth: number };
          return { page: element.scrollWidth, screen: element.clientWidth };
        });
        expect(widths.page, `${path} (${scheme.colorScheme}, ${String(scheme.viewport.width)} px)`).toBeLessThanOrEqual(widths.screen);
      }
      if (scheme.colorScheme === 'dark') {
        await page.goto(`${base}/signals/${seed.featuredId}`);
        await browser.screenshot(page, 'signal-dark-phone');
      }
    }
  }, TEST_TIMEOUT_MS * 2);

  it('sends an anonymous visitor of an admin page to sign in, then signs in, runs a job and signs out', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/admin/jobs`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expectAccessible(page);
    await browser.screenshot(page, 'sign-in');

    await page.getByLabel('API key').fill('shk_not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('#f-key-error').textContent()).resolves.toContain('not accepted');

    await signIn(page);
    const cookie = (await page.context().cookies(base)).find((item) => item.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.value).not.toContain(ADMIN_KEY);
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Run janitor' }).click();
    await page.waitForURL(/queued=\d+/);
    const runId = new URL(page.url()).searchParams.get('queued') ?? '';
    await expect(page.getByRole('status').textContent()).resolves.toContain(`Run ${runId} is queued`);
    const row = page.locator('tbody tr', { has: page.locator('td:first-child', { hasText: new RegExp(`^${runId}$`) }) });
    await expect.poll(async () => {
      await page.reload();
      return row.locator('.status').textContent();
    }, { timeout: 15_000, interval: 300 }).toMatch(/^(succeeded|failed|skipped)$/);
    await browser.screenshot(page, 'admin-jobs');

    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Name').fill('made in the browser <b>&</b>');
    await page.getByLabel('Tier').selectOption('premium');
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect(page.locator('code.secret').textContent()).resolves.toMatch(/^shk_[A-Za-z0-9_-]{43}$/);
    await expect(page.getByRole('cell', { name: 'made in the browser <b>&</b>' }).count()).resolves.toBe(1);
    await expectAccessible(page);
    await browser.screenshot(page, 'admin-keys');

    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.waitForURL(`${base}/`);
    expect((await page.context().cookies(base)).some((item) => item.name === SESSION_COOKIE)).toBe(false);
    await expect(page.getByRole('link', { name: 'Sign in' }).count()).resolves.toBe(1);
    await page.goto(`${base}/admin/keys`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  }, TEST_TIMEOUT_MS);

  it('refuses a POST another site makes the browser send (403), and the session survives it', async () => {
    const page = await browser.newPage();
    await signIn(page);
    await page.goto(evilUrl);
    const [response] = await Promise.all([page.waitForResponse(`${base}/sign-out`), page.getByRole('button', { name: 'Win a prize' }).click()]);
    expect(response.status()).toBe(403);
    await page.goto(`${base}/admin/jobs`);
    expect(new URL(page.url()).pathname).toBe('/admin/jobs');
  }, TEST_TIMEOUT_MS);

  it('signs out a session whose row has expired (its cookie still says it has not), and clears the cookie', async () => {
    const page = await browser.newPage();
    await signIn(page);
    // Every session of this test file's database ends now; the cookie's own expiry is hours away.
    await runtime.database.db.query(sql`UPDATE web_sessions SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 second'`);
    await page.goto(`${base}/admin/jobs`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect((await page.context().cookies(base)).some((item) => item.name === SESSION_COOKIE)).toBe(false);
  }, TEST_TIMEOUT_MS);

  it('signs out a forged session cookie and clears it', async () => {
    const page = await browser.newPage();
    await signIn(page);
    const real = (await page.context().cookies(base)).find((item) => item.name === SESSION_COOKIE);
    if (real === undefined) throw new Error('no session cookie after sign-in');
    const [id = '', expires = ''] = real.value.split('.');
    await page.context().addCookies([{ ...real, value: `${id}.${String(Number(expires) + 86_400)}.${'A'.repeat(43)}` }]);
    await page.goto(`${base}/admin/jobs`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect((await page.context().cookies(base)).some((item) => item.name === SESSION_COOKIE)).toBe(false);
  }, TEST_TIMEOUT_MS);
});
