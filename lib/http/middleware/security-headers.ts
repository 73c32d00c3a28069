// Security headers for a JSON API: HSTS, nosniff, DENY framing, no referrer, and a CSP that allows
// nothing (a JSON response never needs to load anything). `Cache-Control: no-store` unless the
// route chose otherwise: responses may carry per-key data. A header the route (or an inner
// middleware) already set is kept (`overwrite: false`): the web function's pages set their own CSP.
import type { MiddlewareHandler } from 'hono';
import { secureHeaders as honoSecureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../env.js';

export function securityHeaders(): MiddlewareHandler<AppEnv> {
  const secure = honoSecureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    strictTransportSecurity: 'max-age=63072000; includeSubDomains',
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    crossOriginResourcePolicy: 'same-origin',
    overwrite: false,
  });
  return async function securityHeaders(c, next) {
    await secure(c, async () => {
      await next();
      // On the finished response's own headers (ours are mutable), as hono's secureHeaders does:
      // `c.header()` after the route would copy the whole Response.
      if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
    });
  };
}
