// Guards a route by caller tier (ARCHITECTURE §3 step 5, after `authenticate`): an anonymous
// caller gets 401 with `WWW-Authenticate: Bearer` (present a key), a key of too low a tier 403.
import type { MiddlewareHandler } from 'hono';
import { hasTier, type Tier } from '../../model/tiers.js';
import { ForbiddenError, UnauthorizedError } from '../../errors.js';
import type { AppEnv, Caller } from '../env.js';

/** Lets the request through only when the caller's tier ranks at or above `required`. */
export function requireTier(required: Tier): MiddlewareHandler<AppEnv> {
  return async function requireTier(c, next) {
    // Typed as always set, but a route wired without `authenticate` must fail loudly, not open.
    const caller = c.get('caller') as Caller | undefined;
    if (caller === undefined) throw new Error('requireTier() runs only after authenticate()');
    if (!hasTier(caller.tier, required)) {
      if (caller.tier === 'anonymous') {
        c.header('WWW-Authenticate', 'Bearer');
        throw new UnauthorizedError('this route needs an API key');
      }
      throw new ForbiddenError(`this route needs the ${required} tier`);
    }
    await next();
  };
}
