// The browser-test kit itself: Debian's Chromium starts through playwright-core, renders a page
// served on localhost, keeps a screenshot, and axe-core tells an accessible page from one that is not.
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, expectAccessible, launchBrowser, type TestBrowser } from '../../support/browser.js';

const GOOD = `<!doctype html><html lang="en"><head><title>Good</title></head><body><main><h1>Hello</h1>
<form><label for="q">Search</label><input id="q" name="q"><button>Go</button></form></main></body></html>`;
const BAD = `<!doctype html><html lang="en"><head><title>Bad</title></head><body><main><h1>Hi</h1>
<form><input name="q"><button></button></form><img src="x.png"></main></body></html>`;

describe('the browser test kit', () => {
  let browser: TestBrowser;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "script-src 'none'" });
      response.end(request.url === '/bad' ? BAD : GOOD);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    url = `http://127.0.0.1:${address.port}`;
    browser = await launchBrowser('browser-kit');
  }, 30_000);

  afterAll(async () => {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('renders a localhost page in Chromium and keeps its screenshot', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await expect(page.locator('h1').textContent()).resolves.toBe('Hello');
    const path = await browser.screenshot(page, 'good');
    expect(existsSync(path)).toBe(true);
  });

  it('runs axe-core despite a CSP that forbids scripts, passing an accessible page', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await expectAccessible(page);
  });

  it('fails a page with serious violations, naming them', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/bad`);
    const ids = (await axeViolations(page)).map((violation) => violation.id);
    expect(ids).toEqual(expect.arrayContaining(['label', 'button-name', 'image-alt']));
    await expect(expectAccessible(page)).rejects.toThrow(/serious accessibility violation/);
  });

  it('gives each page its own cookies', async () => {
    const first = await browser.newPage();
    await first.context().addCookies([{ name: 'a', value: '1', url }]);
    const second = await browser.newPage();
    expect(await second.context().cookies(url)).toEqual([]);
  });
});
