// Hono answers an unknown method on a known path as "not found". HTTP says 405 with `Allow`, so on
// a miss we ask a router holding the app's own routes which methods the path does support.
import type { Hono } from 'hono';
import { PatternRouter } from 'hono/router/pattern-router';

const PROBED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

type RouteTable = Pick<Hono, 'routes'>;

const routers = new WeakMap<RouteTable, PatternRouter<true>>();

/** Routes are registered at module load, so the router is built once, on the first miss. */
function routerFor(app: RouteTable): PatternRouter<true> {
  let router = routers.get(app);
  if (router === undefined) {
    router = new PatternRouter<true>();
    for (const route of app.routes) {
      if (route.method !== 'ALL') router.add(route.method, route.path, true);
    }
    routers.set(app, router);
  }
  return router;
}

/** Methods the app serves on `path` (HEAD and OPTIONS included when any is); empty if none. */
export function allowedMethods(app: RouteTable, path: string): string[] {
  const router = routerFor(app);
  const allowed: string[] = PROBED_METHODS.filter((method) => router.match(method, path)[0].length > 0);
  if (allowed.length === 0) return allowed;
  if (allowed.includes('GET')) allowed.splice(1, 0, 'HEAD');
  allowed.push('OPTIONS');
  return allowed;
}
