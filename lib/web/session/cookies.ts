// Setting and clearing the dashboard's cookies. Both are `__Host-` cookies (Secure, Path=/, no
// Domain: no sibling host can set or read them), HttpOnly (no script reads them) and
// SameSite=Strict (a browser sends them with no request another site starts).
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import type { AppEnv } from '../../http/env.js';
import { isPreSessionToken, newPreSessionToken, PRE_SESSION_COOKIE } from './csrf.js';
import { SESSION_COOKIE } from './session-cookie.js';
import { sessionSigningKey } from './signing-key.js';

type WebContext = Context<AppEnv>;

const BASE: CookieOptions = { prefix: 'host', path: '/', secure: true, httpOnly: true, sameSite: 'Strict' };
/** The pre-session token lives as long as someone may take to type a key into the form. */
const PRE_SESSION_MAX_AGE_S = 3600;

export function readSessionCookie(c: WebContext): string | undefined {
  return getCookie(c, SESSION_COOKIE, 'host');
}

export function setSessionCookie(c: WebContext, value: string, expiresAtMs: number, nowMs: number): void {
  setCookie(c, SESSION_COOKIE, value, { ...BASE, maxAge: Math.max(0, Math.floor((expiresAtMs - nowMs) / 1000)) });
}

export function clearSessionCookie(c: WebContext): void {
  deleteCookie(c, SESSION_COOKIE, BASE);
}

export function readPreSessionCookie(c: WebContext): string | undefined {
  return getCookie(c, PRE_SESSION_COOKIE, 'host');
}

export function clearPreSessionCookie(c: WebContext): void {
  deleteCookie(c, PRE_SESSION_COOKIE, BASE);
}

/**
 * The CSRF token a form on this page must carry: the session's synchronizer token when signed in,
 * else the pre-session double-submit token (reusing a valid cookie, or setting a new one).
 */
export function formCsrfToken(c: WebContext): string {
  const session = c.get('webSession');
  if (session !== undefined) return session.csrfToken;
  const key = sessionSigningKey();
  const existing = readPreSessionCookie(c);
  if (existing !== undefined && isPreSessionToken(key, existing)) return existing;
  const token = newPreSessionToken(key);
  setCookie(c, PRE_SESSION_COOKIE, token, { ...BASE, maxAge: PRE_SESSION_MAX_AGE_S });
  return token;
}
