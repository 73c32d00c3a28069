// Child process of web-page.ts: the web dashboard's signals page against the JSON API's same page.
// `GET /signals?sort=score&limit=50` through the web function's handler (middleware chain, the
// API's schema and list mapping, the repository, HTML rendering, brotli as a browser asks for it)
// against `GET /v1/signals?sort=score&limit=50` through the signals function's handler, first page
// and a deep one, interleaved, on 100,000 signals in the machine's Postgres through the Neon
// driver. Also the page's bytes over the wire: the HTML and the stylesheet it links, compressed.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { brotliDecompressSync } from 'node:zlib';
import { buildHttpEvent } from '../../infra/local/api-gateway-event.js';
import { resetConfig } from '../../lib/config.js';
import { setDb } from '../../lib/db/client.js';
import { sql } from '../../lib/db/sql.js';
import type { Db } from '../../lib/db/types.js';
import { seedSignals } from '../support/signal-factory.js';
import { reportToParent } from './child.js';
import { onPostgres } from './child-postgres.js';
import { benchLambdaContext } from './fixtures.js';
import { interleave, percentile } from './stats.js';

export interface Latency {
  p50Ms: number;
  p95Ms: number;
}

export interface WebPageResult {
  signals: number;
  samples: number;
  deepPage: number;
  seedMs: number;
  page: Latency;
  api: Latency;
  /** The first page's HTML: raw, brotli, gzip. */
  htmlBytes: { raw: number; br: number; gzip: number };
  /** The stylesheet it links, brotli (as served to a browser that accepts it). */
  cssBytes: { raw: number; br: number };
  /** Scripts the page loads (none). */
  scriptCount: number;
}

const SIGNALS = 100_000;
const LIMIT = 50;
const CURSOR_FOLLOWS = 5;
const WARM_UP_ROUNDS = 50;
const ROUNDS = 300;
/** What a browser sends. */
const BROWSER_HEADERS = { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br, zstd' };

type Handler = (event: APIGatewayProxyEventV2, context: ReturnType<typeof benchLambdaContext>) => Promise<unknown>;

function event(url: string, routePath: string, headers: Record<string, string>): APIGatewayProxyEventV2 {
  return buildHttpEvent({
    method: 'GET',
    url,
    headers: { host: 'localhost:3000', 'user-agent': 'signal-harvester-bench', ...headers },
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    routeKey: `ANY ${routePath}`,
    pathParameters: {},
    domainName: 'localhost:3000',
  });
}

async function call(handler: Handler, request: APIGatewayProxyEventV2, context: ReturnType<typeof benchLambdaContext>): Promise<APIGatewayProxyStructuredResultV2> {
  const result = (await handler(request, context)) as APIGatewayProxyStructuredResultV2;
  if (result.statusCode !== 200) throw new Error(`GET ${request.rawPath}?${request.rawQueryString} answered ${String(result.statusCode)}`);
  return result;
}

function bodyBytes(result: APIGatewayProxyStructuredResultV2): Buffer {
  return result.isBase64Encoded === true ? Buffer.from(result.body ?? '', 'base64') : Buffer.from(result.body ?? '', 'utf8');
}

function htmlOf(result: APIGatewayProxyStructuredResultV2): string {
  const bytes = bodyBytes(result);
  return result.headers?.['content-encoding'] === 'br' ? brotliDecompressSync(bytes).toString('utf8') : bytes.toString('utf8');
}

async function measure(db: Db, seedMs: number): Promise<WebPageResult> {
  setDb(db);
  process.env.RATE_LIMIT_ANONYMOUS = '100000000';
  resetConfig();
  const web = (await import('../../functions/web.js')).handler as Handler;
  const api = (await import('../../functions/signals.js')).handler as Handler;
  const webContext = benchLambdaContext('web');
  const apiContext = benchLambdaContext('signals');
  const query = `sort=score&limit=${String(LIMIT)}`;

  // The deep page, followed through the API's cursors (the page's Next links carry the same ones).
  let cursor: string | undefined;
  for (let follow = 0; follow < CURSOR_FOLLOWS; follow += 1) {
    const url = `/v1/signals?${query}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const page = JSON.parse((await call(api, event(url, '/v1/signals', { accept: 'application/json' }), apiContext)).body ?? '') as { next_cursor: string | null };
    if (page.next_cursor === null) throw new Error('no next page');
    cursor = page.next_cursor;
  }
  const deep = `&cursor=${encodeURIComponent(cursor ?? '')}`;
  const webFirst = event(`/signals?${query}`, '/signals', BROWSER_HEADERS);
  const webDeep = event(`/signals?${query}${deep}`, '/signals', BROWSER_HEADERS);
  const apiFirst = event(`/v1/signals?${query}`, '/v1/signals', { accept: 'application/json' });
  const apiDeep = event(`/v1/signals?${query}${deep}`, '/v1/signals', { accept: 'application/json' });

  // Both sides show the same signals.
  const firstHtml = htmlOf(await call(web, webFirst, webContext));
  const pageIds = [...firstHtml.matchAll(/<a class="title" dir="auto" href="\/signals\/(\d+)">/g)].map((m) => m[1]);
  const apiIds = (JSON.parse((await call(api, apiFirst, apiContext)).body ?? '') as { items: Array<{ id: string }> }).items.map((item) => item.id);
  if (pageIds.length !== LIMIT || pageIds.join() !== apiIds.join()) throw new Error('the page and the API list different signals');

  const pageMs: number[] = [];
  const apiMs: number[] = [];
  let recording = false;
  const timed = (handler: Handler, request: APIGatewayProxyEventV2, context: ReturnType<typeof benchLambdaContext>, into: number[]) => async (): Promise<void> => {
    const started = performance.now();
    await call(handler, request, context);
    const elapsed = performance.now() - started;
    if (recording) into.push(elapsed);
  };
  const steps = [timed(web, webFirst, webContext, pageMs), timed(web, webDeep, webContext, pageMs), timed(api, apiFirst, apiContext, apiMs), timed(api, apiDeep, apiContext, apiMs)];
  await interleave(WARM_UP_ROUNDS, steps);
  recording = true;
  await interleave(ROUNDS, steps);

  // Bytes over the wire: the page as brotli and gzip, and what it links.
  const br = bodyBytes(await call(web, webFirst, webContext));
  const gzip = bodyBytes(await call(web, event(`/signals?${query}`, '/signals', { accept: 'text/html', 'accept-encoding': 'gzip' }), webContext));
  const cssPath = /<link rel="stylesheet" href="([^"]+)">/.exec(firstHtml)?.[1] ?? '';
  const cssBr = bodyBytes(await call(web, event(cssPath, '/assets/{file}', BROWSER_HEADERS), webContext));
  const cssRaw = bodyBytes(await call(web, event(cssPath, '/assets/{file}', {}), webContext));
  return {
    signals: SIGNALS,
    samples: pageMs.length,
    deepPage: CURSOR_FOLLOWS + 1,
    seedMs,
    page: { p50Ms: percentile(pageMs, 50), p95Ms: percentile(pageMs, 95) },
    api: { p50Ms: percentile(apiMs, 50), p95Ms: percentile(apiMs, 95) },
    htmlBytes: { raw: Buffer.byteLength(firstHtml), br: br.byteLength, gzip: gzip.byteLength },
    cssBytes: { raw: cssRaw.byteLength, br: cssBr.byteLength },
    scriptCount: (firstHtml.match(/<script/gi) ?? []).length,
  };
}

const result: WebPageResult = await onPostgres(async (db) => {
  const seeding = performance.now();
  await seedSignals(db, SIGNALS);
  await db.query(sql`ANALYZE signals`);
  return await measure(db, performance.now() - seeding);
});
reportToParent(result);
