// The dashboard's two session middlewares. `webSession` runs after `authenticate` and before the
// rate limiter: a valid session cookie makes the request its key's caller (so the key's own bucket
// and tier apply), an invalid one is cleared and the request goes on anonymous ("signed out").
// `csrfProtection` guards every method but GET/HEAD/OPTIONS (csrf.ts says how).
import type { MiddlewareHandler } from 'hono';
import { getConfig } from '../../config.js';
import { getDb } from '../../db/client.js';
import type { Queryable } from '../../db/types.js';
import { ForbiddenError } from '../../errors.js';
import type { AppEnv } from '../../http/env.js';
import { bodyLimit } from '../../http/middleware/body-limit.js';
import { clearSessionCookie, readPreSessionCookie, readSessionCookie } from './cookies.js';
import { checkProvenance, CSRF_FIELD, sessionCsrfToken, verifyPreSessionToken, verifySessionCsrfToken } from './csrf.js';
import { resolveSession } from './sessions.js';
import { sessionSigningKey } from './signing-key.js';

export interface WebSessionOptions {
  /** The database holding web_sessions. Default: the container's (lib/db/client.ts). */
  db?: () => Promise<Queryable>;
  /** Clock in ms (tests). Default `Date.now`. */
  now?: () => number;
}

export function webSession(options: WebSessionOptions = {}): MiddlewareHandler<AppEnv> {
  const db = options.db ?? getDb;
  const now = options.now ?? Date.now;
  return async function webSession(c, next) {
    const cookie = readSessionCookie(c);
    if (cookie === undefined) return next();
    // A request that presents an API key is that key's; a cookie beside it changes nothing.
    const current = c.get('caller');
    if (current !== undefined && current.tier !== 'anonymous') return next();
    const key = sessionSigningKey();
    const resolved = await resolveSession(db, key, cookie, now(), getConfig().ADMIN_API_KEY);
    if (!resolved.ok) {
      clearSessionCookie(c);
      c.get('log').info('web session refused; signed out', { reason: resolved.reason });
      return next();
    }
    c.set('caller', resolved.caller);
    c.set('webSession', { id: resolved.claim.id, expiresAtMs: resolved.claim.expiresAtMs, csrfToken: sessionCsrfToken(key, resolved.claim.id) });
    c.set('log', c.get('log').child({ key_id: resolved.caller.keyId }));
    return next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrfProtection(): MiddlewareHandler<AppEnv> {
  return async function csrfProtection(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const provenance = checkProvenance({ secFetchSite: c.req.header('sec-fetch-site'), origin: c.req.header('origin'), host: c.req.header('host') });
    if (!provenance.allowed) {
      c.get('log').info('cross-site request refused', { reason: provenance.reason });
      throw new ForbiddenError('cross-site request refused');
    }
    const type = c.req.header('content-type') ?? '';
    // Only forms carry a token; anything else (JSON, text) is refused before it is parsed.
    const form = /^application\/x-www-form-urlencoded\b|^multipart\/form-data\b/i.test(type) ? await c.req.parseBody() : {};
    const token = form[CSRF_FIELD];
    const key = sessionSigningKey();
    const session = c.get('webSession');
    const valid =
      typeof token === 'string' &&
      (session !== undefined ? verifySessionCsrfToken(key, session.id, token) : verifyPreSessionToken(key, readPreSessionCookie(c), token));
    if (!valid) {
      c.get('log').info('request refused', { reason: 'csrf_token' });
      throw new ForbiddenError('missing or invalid CSRF token; reload the page and try again');
    }
    return next();
  };
}

/**
 * What every POST route of the dashboard runs before its handler: the body limit of the API
 * (413 past MAX_BODY_BYTES, read before anything parses it), then the CSRF checks.
 */
export function guardPost(): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({ maxBytes: getConfig().MAX_BODY_BYTES });
  const csrf = csrfProtection();
  return async function guardPost(c, next) {
    await limit(c, async () => {
      await csrf(c, next);
    });
  };
}
