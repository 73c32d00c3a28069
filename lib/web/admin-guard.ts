// Admin pages are for admin-tier callers only: nobody signed in is sent to the sign-in form (and
// back here after it), a signed-in key of a lower tier is told so (403), as the API answers.
import type { MiddlewareHandler } from 'hono';
import { ForbiddenError } from '../errors.js';
import type { AppEnv } from '../http/index.js';
import { hasTier } from '../model/tiers.js';

export function requireAdminPage(): MiddlewareHandler<AppEnv> {
  return async function requireAdminPage(c, next) {
    const caller = c.get('caller');
    if (caller.tier === 'anonymous') {
      if (c.req.method === 'GET') return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
      throw new ForbiddenError('sign in with an admin key first');
    }
    if (!hasTier(caller.tier, 'admin')) throw new ForbiddenError('this page needs a key of the admin tier');
    c.header('Cache-Control', 'no-store');
    await next();
  };
}
