// Signing in and out of the dashboard. Sign-in takes the API key once: each attempt is charged to
// the source IP's authentication bucket before the key is looked up (as the API's `authenticate`
// does, so guessing keys through the form is no cheaper than through the API), a good key starts a
// session and sets its cookie, a bad one is reported without saying more than "not accepted".
import type { Context } from 'hono';
import type { ApiKeyLookup } from '../../auth/key-store.js';
import { getConfig } from '../../config.js';
import { getDb } from '../../db/client.js';
import type { Queryable } from '../../db/types.js';
import { RateLimitedError } from '../../errors.js';
import type { AppEnv } from '../../http/env.js';
import { setHeaders, sourceIp } from '../../http/middleware/rate-limit.js';
import type { RateLimiter } from '../../ratelimit/limiter.js';
import { checkApiKey, type KeyCheck } from './check-key.js';
import { clearPreSessionCookie, clearSessionCookie, setSessionCookie } from './cookies.js';
import { endSession, startSession } from './sessions.js';
import { sessionSigningKey } from './signing-key.js';

export interface SignInDeps {
  keys: () => ApiKeyLookup | Promise<ApiKeyLookup>;
  /** The container's limiter; without one nothing is charged (tests of the flow alone). */
  limiter?: () => RateLimiter;
  /** The database holding web_sessions. Default: the container's (lib/db/client.ts). */
  db?: () => Promise<Queryable>;
  /** Clock in ms (tests). Default `Date.now`. */
  now?: () => number;
}

export type SignInResult = { ok: true; tier: string } | { ok: false; reason: Exclude<KeyCheck, { ok: true }>['reason'] };

export async function signIn<P extends string>(c: Context<AppEnv, P>, apiKey: string, deps: SignInDeps): Promise<SignInResult> {
  if (deps.limiter !== undefined) {
    const decision = await deps.limiter().check(`auth:${sourceIp(c)}`, 'anonymous');
    if (decision.reason !== 'unlimited') {
      setHeaders(c, decision);
      if (!decision.allowed) throw new RateLimitedError(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
    }
  }
  const config = getConfig();
  const checked = await checkApiKey(apiKey, await deps.keys(), config.ADMIN_API_KEY);
  if (!checked.ok) {
    c.get('log').info('web sign-in refused', { reason: checked.reason });
    return checked;
  }
  const db = await (deps.db ?? getDb)();
  // Signing in again replaces the session this browser had.
  const previous = c.get('webSession');
  if (previous !== undefined) await endSession(db, previous.id);
  const nowMs = (deps.now ?? Date.now)();
  const started = await startSession(db, sessionSigningKey(), checked, nowMs, config.WEB_SESSION_TTL_MS);
  setSessionCookie(c, started.cookie, started.claim.expiresAtMs, nowMs);
  clearPreSessionCookie(c);
  c.get('log').info('web sign-in', { key_id: checked.keyId.startsWith('bootstrap:') ? 'bootstrap' : checked.keyId, key_prefix: checked.prefix, tier: checked.tier });
  return { ok: true, tier: checked.tier };
}

/** Ends this browser's session, if any, and clears its cookie. */
export async function signOut<P extends string>(c: Context<AppEnv, P>, db: () => Promise<Queryable> = getDb): Promise<void> {
  const session = c.get('webSession');
  if (session !== undefined) await endSession(await db(), session.id);
  clearSessionCookie(c);
  c.get('log').info('web sign-out');
}
