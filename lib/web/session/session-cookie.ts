// The web dashboard's session cookie: a random session id, its expiry and an HMAC-SHA256 over both,
// keyed with the session signing key (signing-key.ts). The cookie names a session row; it never
// holds the API key. A forged or altered cookie fails the MAC, an old one its expiry, both before
// any database look-up. Pure: the key and the clock come from the caller.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie's name without its `__Host-` prefix (Secure, Path=/, no Domain: set by hono/cookie's `prefix: 'host'`). */
export const SESSION_COOKIE = 'shd_session';

/** Random bytes of a session id: 256 bits, 43 base64url characters. */
const SESSION_ID_BYTES = 32;
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
/** `<id>.<expires, unix seconds>.<mac, base64url>`. */
const COOKIE_FORMAT = /^([A-Za-z0-9_-]{43})\.([1-9][0-9]{0,11})\.([A-Za-z0-9_-]{43})$/;
/** Domain separation: a session MAC can never be replayed as a CSRF token or the other way round. */
const SESSION_CONTEXT = 'shd-session-v1';

export interface SessionClaim {
  /** The session id (base64url); its SHA-256 names the row. */
  id: string;
  /** When the session ends, ms since the epoch (whole seconds). */
  expiresAtMs: number;
}

export type VerifiedSession = { ok: true; claim: SessionClaim } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export function newSessionId(): string {
  return randomBytes(SESSION_ID_BYTES).toString('base64url');
}

/** Hex SHA-256 of a session id: what web_sessions stores. */
export function hashSessionId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

export function mac(key: Uint8Array, context: string, ...parts: string[]): string {
  return createHmac('sha256', key).update([context, ...parts].join('\n'), 'utf8').digest('base64url');
}

/** Compares two strings in time that depends only on their lengths. */
export function safeEqualText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The cookie value for a session: the expiry is rounded down to whole seconds. */
export function signSessionCookie(key: Uint8Array, claim: SessionClaim): string {
  if (!SESSION_ID.test(claim.id)) throw new RangeError('a session id is 43 base64url characters');
  const expires = String(Math.floor(claim.expiresAtMs / 1000));
  return `${claim.id}.${expires}.${mac(key, SESSION_CONTEXT, claim.id, expires)}`;
}

/** Checks a cookie value's shape, MAC and expiry at `nowMs`. */
export function verifySessionCookie(key: Uint8Array, value: string, nowMs: number): VerifiedSession {
  const match = COOKIE_FORMAT.exec(value);
  if (match === null) return { ok: false, reason: 'malformed' };
  const [, id = '', expires = '', signature = ''] = match;
  if (!safeEqualText(signature, mac(key, SESSION_CONTEXT, id, expires))) return { ok: false, reason: 'bad_signature' };
  const expiresAtMs = Number(expires) * 1000;
  if (expiresAtMs <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, claim: { id, expiresAtMs } };
}
