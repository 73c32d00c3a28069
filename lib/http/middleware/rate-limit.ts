// ARCHITECTURE §3 step 6: one token per request from the caller's bucket. The identifier is the
// API key's id, else the source IP API Gateway saw (never X-Forwarded-For, which a client can
// write). Every limited response carries X-RateLimit-*; a refusal is a 429 with Retry-After.
import type { MiddlewareHandler } from 'hono';
import { RateLimitedError } from '../../errors.js';
import type { RateLimiter } from '../../ratelimit/limiter.js';
import type { Decision } from '../../ratelimit/types.js';
import type { AppEnv } from '../env.js';

export interface RateLimitOptions {
  /** The container's limiter; a function so it is built on first use, not at import. */
  limiter: () => RateLimiter;
}

/** Tests call the app without API Gateway; they all share one made-up address. */
const NO_GATEWAY_IP = '0.0.0.0';

type HttpContext = Parameters<MiddlewareHandler<AppEnv>>[0];

/** The caller's source IP as API Gateway saw it: the identifier of anonymous (and failed-auth) buckets. */
export function sourceIp(c: HttpContext): string {
  return c.env?.event?.requestContext.http.sourceIp ?? NO_GATEWAY_IP;
}

export function setHeaders(c: HttpContext, decision: Decision): void {
  c.header('X-RateLimit-Limit', String(decision.limit));
  c.header('X-RateLimit-Remaining', String(decision.remaining));
  c.header('X-RateLimit-Reset', String(Math.ceil(decision.resetAtMs / 1000)));
}

export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  return async function rateLimit(c, next) {
    const caller = c.get('caller');
    const tier = caller?.tier ?? 'anonymous';
    const identifier = caller?.keyId ?? sourceIp(c);
    const decision = await options.limiter().check(identifier, tier);
    if (decision.reason === 'unlimited') return next();
    // Before the route: headers set now are part of whatever response the context builds (route,
    // error or 404). Set after `next()`, each would make Hono copy the finished Response (3 copies).
    setHeaders(c, decision);
    if (!decision.allowed) throw new RateLimitedError(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
    await next();
  };
}
