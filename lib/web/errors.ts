// Errors of the web function as pages. The JSON API's one mapping (lib/http/errors.ts) still
// decides everything — status, code, the public message, the log line and errors_total for a 5xx,
// Allow and Retry-After — and its answer is then re-rendered as an HTML page with the same status
// and headers. A server error says only what the mapping lets it say; never a stack.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { NotFoundError } from '../errors.js';
import { errorResponse, type ErrorBody } from '../http/errors.js';
import type { App, AppEnv } from '../http/index.js';
import { allowedMethodsOf } from '../http/routing/method-not-allowed.js';
import { MethodNotAllowedError } from '../errors.js';
import { html } from './html.js';
import { renderPage } from './page.js';
import { newNonce, pageCsp } from './security.js';

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad request',
  403: 'Forbidden',
  401: 'Sign-in needed',
  404: 'Page not found',
  405: 'Method not allowed',
  413: 'Request too large',
  429: 'Too many requests',
  503: 'Service unavailable',
};

/** Headers of the JSON error answer a page keeps. */
const KEPT_HEADERS = ['allow', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'] as const;

/** The page for anything thrown: the JSON mapping's status, message and headers, as HTML. */
export async function errorPage(c: Context<AppEnv>, thrown: unknown): Promise<Response> {
  const mapped = errorResponse(c, thrown);
  const body = (await mapped.json()) as ErrorBody;
  const status = mapped.status as ContentfulStatusCode;
  const title = TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'Request refused');
  const page = renderPage(c, {
    title,
    status,
    body: html`<p dir="auto">${body.error.message}.</p>
<p class="muted">Request id: <code>${body.error.requestId}</code></p>
<p><a href="/signals">Back to the signals</a></p>`,
  });
  // An error thrown before the page middleware ran (authentication, the rate limit) has no nonce yet.
  page.headers.set('Content-Security-Policy', pageCsp(c.get('cspNonce') ?? newNonce()));
  for (const name of KEPT_HEADERS) {
    const value = mapped.headers.get(name);
    if (value !== null) page.headers.set(name, value);
  }
  return page;
}

/** Makes every error and every miss of `app` a page (replacing the JSON handlers app.ts set). */
export function useErrorPages(app: App): void {
  const allowedMethods = allowedMethodsOf(app);
  app.onError((error, c) => errorPage(c, error));
  app.notFound((c) => {
    const allow = allowedMethods(c.req.path);
    if (allow.length === 0) return errorPage(c, new NotFoundError('there is no page at this address'));
    if (c.req.method === 'OPTIONS') {
      c.header('Allow', allow.join(', '));
      return c.body(null, 204);
    }
    return errorPage(c, new MethodNotAllowedError(allow, `${c.req.method} is not allowed on this page`));
  });
}
