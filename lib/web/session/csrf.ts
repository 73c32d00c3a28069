// CSRF defences of every POST the dashboard accepts (ARCHITECTURE §7b), two independent layers:
// 1. Provenance: a browser says where a request comes from (Sec-Fetch-Site, else Origin); anything
//    but same-origin (or a user-typed `none`) is refused before the body is read.
// 2. A token in the form: while signed in, the synchronizer token HMAC(key, session id), which no
//    other site can compute and which dies with the session; before sign-in (the sign-in form
//    itself, against login CSRF), a signed double-submit token, equal in a cookie and the form.
// Pure: the key comes from the caller.
import { randomBytes } from 'node:crypto';
import { mac, safeEqualText } from './session-cookie.js';

/** The hidden form field every POST form carries. */
export const CSRF_FIELD = '_csrf';
/** The pre-session double-submit cookie's name without its `__Host-` prefix. */
export const PRE_SESSION_COOKIE = 'shd_csrf';

const SESSION_CSRF_CONTEXT = 'shd-csrf-session-v1';
const PRE_SESSION_CONTEXT = 'shd-csrf-pre-v1';
/** `<nonce>.<mac>`, both 43 base64url characters. */
const PRE_SESSION_FORMAT = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/;

/** The synchronizer token of a signed-in session; the same for the session's whole life. */
export function sessionCsrfToken(key: Uint8Array, sessionId: string): string {
  return mac(key, SESSION_CSRF_CONTEXT, sessionId);
}

export function verifySessionCsrfToken(key: Uint8Array, sessionId: string, token: string): boolean {
  return safeEqualText(token, sessionCsrfToken(key, sessionId));
}

/** A fresh signed double-submit token: set as the pre-session cookie and put in the form. */
export function newPreSessionToken(key: Uint8Array): string {
  const nonce = randomBytes(32).toString('base64url');
  return `${nonce}.${mac(key, PRE_SESSION_CONTEXT, nonce)}`;
}

/** Whether a pre-session token is one of ours (its MAC holds): a cookie injected by a sibling host is not. */
export function isPreSessionToken(key: Uint8Array, token: string): boolean {
  const match = PRE_SESSION_FORMAT.exec(token);
  if (match === null) return false;
  const [, nonce = '', signature = ''] = match;
  return safeEqualText(signature, mac(key, PRE_SESSION_CONTEXT, nonce));
}

/** The form's token equals the cookie's, and the cookie's is ours. */
export function verifyPreSessionToken(key: Uint8Array, cookie: string | undefined, formToken: string): boolean {
  return cookie !== undefined && safeEqualText(cookie, formToken) && isPreSessionToken(key, cookie);
}

export interface ProvenanceHeaders {
  /** `Sec-Fetch-Site`, sent by every current browser. */
  secFetchSite?: string | undefined;
  /** `Origin`, sent with every cross-origin and most same-origin POSTs. */
  origin?: string | undefined;
  /** `Host`: the origin this request was addressed to. */
  host?: string | undefined;
}

export type Provenance = { allowed: true; checkedBy: 'sec-fetch-site' | 'origin' | 'none' } | { allowed: false; reason: string };

/**
 * Whether a state-changing request may come from where it says it does. A request without either
 * header (no current browser sends such a POST; curl does) is left to the token alone.
 */
export function checkProvenance(headers: ProvenanceHeaders): Provenance {
  const site = headers.secFetchSite?.trim().toLowerCase();
  if (site !== undefined && site !== '') {
    // `none`: the user typed or bookmarked it, which a third-party page cannot cause.
    if (site === 'same-origin' || site === 'none') return { allowed: true, checkedBy: 'sec-fetch-site' };
    return { allowed: false, reason: `Sec-Fetch-Site is ${site}` };
  }
  const origin = headers.origin?.trim();
  if (origin !== undefined && origin !== '') {
    let originHost: string | undefined;
    try {
      originHost = origin === 'null' ? undefined : new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (originHost !== undefined && headers.host !== undefined && originHost === headers.host.trim().toLowerCase()) {
      return { allowed: true, checkedBy: 'origin' };
    }
    return { allowed: false, reason: 'Origin is another site' };
  }
  return { allowed: true, checkedBy: 'none' };
}
