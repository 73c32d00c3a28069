// Step 4 of the chain (ARCHITECTURE §3): counts and times every request that gets past CORS by
// method, route template and final status, and tracks those in progress. The endpoint label is the
// template the router matched (`/v1/signals/:id`), never the raw path, so its values are bounded
// by the app's routes; a request no route matched is `unmatched`. Errors have become responses
// (lib/http/errors.ts) by the time `next()` returns, so 4xx and 5xx are counted with their status.
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { httpRequestDuration, httpRequests, httpRequestsInProgress } from '../../metrics/http-metrics.js';
import type { AppEnv } from '../env.js';

/** The endpoint label of a request that matched no route (404, 405, OPTIONS on an unknown path). */
export const UNMATCHED = 'unmatched';

/** Methods kept as they are; anything else a client invents is counted as `other`. */
const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The template of the route that handles the request: the last one matched, because createApp
 * registers its middleware (`*`, `/*`) before any route. Known at once: Hono matches on dispatch.
 */
function endpointOf(c: Context<AppEnv>): string {
  const path = routePath(c, -1);
  return path === '' || path === '*' || path === '/*' ? UNMATCHED : path;
}

export function metrics(): MiddlewareHandler<AppEnv> {
  return async function metrics(c, next) {
    const started = performance.now();
    const method = METHODS.has(c.req.method) ? c.req.method : 'other';
    const endpoint = endpointOf(c);
    const progress = { method, endpoint };
    httpRequestsInProgress.inc(progress);
    // A throw that escapes `next()` (not an Error, so Hono's onError never saw it) ends as a 500.
    let status = 500;
    try {
      await next();
      status = c.res.status;
    } finally {
      httpRequestsInProgress.dec(progress);
      const labels = { method, endpoint, status: String(status) };
      httpRequests.inc(labels);
      httpRequestDuration.observe(labels, (performance.now() - started) / 1000);
    }
  };
}
