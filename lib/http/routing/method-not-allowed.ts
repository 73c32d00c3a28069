// Hono answers an unknown method on a known path as "not found". HTTP says 405 with `Allow`, so on
// a miss we ask a router holding the app's own routes which methods the path does support.
import type { Hono } from 'hono';
import { PatternRouter } from 'hono/router/pattern-router';

const PROBED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

type RouteTable = Pick<Hono, 'routes'>;

/**
 * The methods `app` serves on a path (HEAD and OPTIONS included when any is; empty if none). Routes
 * are registered at module load, so the router is built once, on the first miss.
 */
export function allowedMethodsOf(app: RouteTable): (path: string) => string[] {
  let router: PatternRouter<true> | undefined;
  return function allowedMethods(path) {
    if (router === undefined) {
      router = new PatternRouter<true>();
      for (const route of app.routes) {
        if (route.method !== 'ALL') router.add(route.method, route.path, true);
      }
    }
    const table = router;
    const allowed: string[] = PROBED_METHODS.filter((method) => table.match(method, path)[0].length > 0);
    if (allowed.length === 0) return allowed;
    if (allowed.includes('GET')) allowed.splice(1, 0, 'HEAD');
    allowed.push('OPTIONS');
    return allowed;
  };
}
