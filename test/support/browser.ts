// Real-browser tests: Debian's Chromium (/usr/bin/chromium, installed by
// infra/local/ensure-services.sh) driven by playwright-core, which downloads no browser. One browser
// per test file (`launchBrowser` in beforeAll), a fresh context per test (`newPage`: no cookie or
// storage leaks between tests), screenshots kept as test artefacts under test-artifacts/ (git-ignored),
// and `expectAccessible`, which runs axe-core in the page and fails on serious or critical violations.
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { services } from './services.js';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = services.chromiumPath;

/** Where screenshots land: one folder per test file, kept after the run (CI can upload it). */
export const ARTIFACTS_DIR = resolve(import.meta.dirname, '../../test-artifacts');

/**
 * Flags for a headless Chromium on a machine with a closed network, running as root: without the
 * background-networking ones it keeps trying (and failing) to reach Google's hosts.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** How long one browser step (navigation, click, wait) may take on a busy 2-core machine. */
const STEP_TIMEOUT_MS = 15_000;

export interface TestBrowser {
  browser: Browser;
  /** A new page in a new context (its own cookies); closed by `close()` or by the test. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** Saves a full-page screenshot as `<ARTIFACTS_DIR>/<suite>/<name>.png`; returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
  /** Closes every context, the browser, and removes its profile folder. */
  close(): Promise<void>;
}

/** Launches Chromium with a fresh, empty profile (`--user-data-dir`), once per test file. */
export async function launchBrowser(suite: string): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'shd-chromium-'));
  // launchPersistentContext is the only way to choose the profile folder; its one context is not
  // used for tests: each test gets a new one from `browser`.
  const persistent = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const browser = persistent.browser();
  if (browser === null) throw new Error('Chromium started without a browser handle');
  const contexts: BrowserContext[] = [];
  const folder = join(ARTIFACTS_DIR, suite);
  await mkdir(folder, { recursive: true });
  return {
    browser,
    async newPage(options) {
      const context = await browser.newContext(options);
      contexts.push(context);
      // Fail a step that waits for long with its own message, well before the test's timeout.
      context.setDefaultTimeout(STEP_TIMEOUT_MS);
      return context.newPage();
    },
    async screenshot(page, name) {
      const path = join(folder, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
      await persistent.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

let axeSource: string | undefined;

/** axe-core's browser build, read once per process. */
function axeScript(): string {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core (WCAG 2 A/AA rules and best practice) in the page; returns every violation. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Injected through the DevTools protocol, not a <script>: the page's CSP forbids inline scripts.
  await page.evaluate(axeScript());
  return page.evaluate(async () => {
    // The page's global `axe`, typed only as far as used here.
    const axe = (globalThis as unknown as { axe: { run(options: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run({ resultTypes: ['violations'] }); // the whole document
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  });
}

/** Fails with a readable list when axe-core finds a serious or critical violation on the page. */
export async function expectAccessible(page: Page): Promise<void> {
  const severe = (await axeViolations(page)).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  if (severe.length > 0) {
    const lines = severe.map((violation) => `${violation.impact} ${violation.id}: ${violation.help} (${violation.targets.slice(0, 3).join(', ')})`);
    throw new Error(`axe-core found ${severe.length} serious accessibility violation(s) on ${page.url()}:\n${lines.join('\n')}`);
  }
}

/**
 * The page's cumulative layout shift so far (the Layout Instability API: every shift not caused by
 * input, buffered from the start of the load). 0 when nothing moved while the page loaded.
 */
export async function layoutShift(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let total = 0;
        // The browser's PerformanceObserver with layout-shift entries, typed only as far as used here.
        const { PerformanceObserver: Observer } = globalThis as unknown as {
          PerformanceObserver: new (callback: (list: { getEntries(): Array<{ value: number; hadRecentInput: boolean }> }) => void) => {
            observe(options: { type: string; buffered: boolean }): void;
            disconnect(): void;
          };
        };
        const observer = new Observer((list) => {
          for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
        });
        observer.observe({ type: 'layout-shift', buffered: true });
        // The buffered entries arrive in the first callback, queued as a task: one after it sees them all.
        setTimeout(() => {
          observer.disconnect();
          resolve(total);
        }, 50);
      }),
  );
}
