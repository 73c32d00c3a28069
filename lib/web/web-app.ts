// A web function's app: the API's middleware chain (apiFunction: request context, deadline,
// security headers, metrics, secrets, API-key authentication, the same rate limits), then what
// pages need on top of it — their own CSP with a per-request nonce, compression, errors as pages —
// and the function's pages (pages/index.ts).
import type { App } from '../http/index.js';
import { compression } from './compress.js';
import { useErrorPages } from './errors.js';
import type { WebPage } from './page.js';
import { pageSecurityHeaders } from './security.js';

/** The mount of a web function serving `pages`: `apiFunction('web', mountWeb(SIGNAL_PAGES))`. */
export function mountWeb(pages: readonly WebPage[]): (app: App) => void {
  return function mount(app) {
    app.use(compression());
    app.use(pageSecurityHeaders());
    for (const page of pages) page.mount(app);
    useErrorPages(app);
  };
}
