// The web function's app: the API's middleware chain (apiFunction: request context, deadline,
// security headers, metrics, secrets, API-key authentication, the same rate limits), then what
// pages need on top of it — their own CSP with a per-request nonce, compression, errors as pages —
// and every page of pages/index.ts.
import type { App } from '../http/index.js';
import { compression } from './compress.js';
import { useErrorPages } from './errors.js';
import { PAGES } from './pages/index.js';
import { pageSecurityHeaders } from './security.js';

export function mountWeb(app: App): void {
  app.use(compression());
  app.use(pageSecurityHeaders());
  for (const page of PAGES) page.mount(app);
  useErrorPages(app);
}
