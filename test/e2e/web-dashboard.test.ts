// The dashboard as a person uses it, in a real browser: Debian's Chromium driven by playwright-core
// against the local runtime (the real serverless.yml, functions/web.ts, PGlite with seeded signals).
// Browse, filter, search and page forward and back; sign in with the bootstrap admin key, run a
// job, manage keys, sign out; a cross-site POST is refused and a forged cookie signed out. axe-core
// checks every page for serious violations; screenshots land in test-artifacts/web-dashboard/.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, type TestBrowser } from '../support/browser.js';
import { E2E_START_TIMEOUT_MS, startE2eRuntime, type E2eRuntime } from '../support/e2e-runtime.js';
import { seedSignals } from '../support/signal-factory.js';

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

  beforeAll(async () => {
    [runtime, browser] = await Promise.all([
      startE2eRuntime({
        env: { ADMIN_API_KEY: ADMIN_KEY, LAMBDA_ENDPOINT: undefined, WEB_SESSION_SECRET: undefined },
        seed: (db) => seedSignals(db, SIGNALS),
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
    await expectAccessible(page);
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
