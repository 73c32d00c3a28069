// CORS lives here and only here: serverless.yml configures no CORS on the gateway, so preflights
// reach the functions (the `$default` route catches the ones no function serves) and the local
// runtime behaves exactly like the cloud. Origins come from config as an exact-match allow-list;
// with an empty list no CORS header is ever sent.
import type { MiddlewareHandler } from 'hono';
import { cors as honoCors } from 'hono/cors';
import type { AppEnv } from '../env.js';

export interface CorsOptions {
  /** Exact origins allowed, e.g. `https://app.example.com`. */
  allowedOrigins: readonly string[];
}

export function cors(options: CorsOptions): MiddlewareHandler<AppEnv> {
  const allowed = new Set(options.allowedOrigins);
  const handler = honoCors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Authorization', 'X-API-Key', 'X-Correlation-Id'],
    exposeHeaders: ['X-Correlation-Id', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After'],
    maxAge: 600,
  });
  return async function cors(c, next) {
    // Without an Origin header a request is not a CORS request: OPTIONS then gets the plain answer.
    if (allowed.size === 0 || c.req.header('origin') === undefined) return next();
    return handler(c, next);
  };
}
