// The web-admin function's app: sign-in and sign-out, and the dashboard's admin pages (jobs, API keys) with the same page
// middleware as the public dashboard (compression, the page CSP with a nonce, errors as pages). A
// function of its own, apart from functions/web.ts, so that only it holds the grant to start jobs
// and the public pages' bundle carries none of this code.
import type { App } from '../http/index.js';
import { compression } from './compress.js';
import { useErrorPages } from './errors.js';
import { adminJobsPage } from './pages/admin-jobs.js';
import { adminKeysPage } from './pages/admin-keys.js';
import { signInPageRoute } from './pages/sign-in.js';
import { pageSecurityHeaders } from './security.js';

export function mountWebAdmin(app: App): void {
  app.use(compression());
  app.use(pageSecurityHeaders());
  signInPageRoute.mount(app);
  adminJobsPage.mount(app);
  adminKeysPage.mount(app);
  useErrorPages(app);
}
