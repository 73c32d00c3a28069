// CSRF defences: the provenance check refuses cross-site and same-site POSTs and accepts same-origin
// ones; the synchronizer token is bound to its session and key; the pre-session double-submit token
// must match its cookie and carry our MAC.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkProvenance,
  isPreSessionToken,
  newPreSessionToken,
  sessionCsrfToken,
  verifyPreSessionToken,
  verifySessionCsrfToken,
} from '../../../../../lib/web/session/csrf.js';
import { newSessionId } from '../../../../../lib/web/session/session-cookie.js';

const KEY = randomBytes(32);

describe('the provenance check', () => {
  it('accepts same-origin and user-typed requests by Sec-Fetch-Site', () => {
    expect(checkProvenance({ secFetchSite: 'same-origin' })).toEqual({ allowed: true, checkedBy: 'sec-fetch-site' });
    expect(checkProvenance({ secFetchSite: 'none' }).allowed).toBe(true);
  });

  it('refuses cross-site and same-site requests, whatever Origin says', () => {
    for (const site of ['cross-site', 'same-site', 'Cross-Site']) {
      expect(checkProvenance({ secFetchSite: site, origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' }).allowed).toBe(false);
    }
  });

  it('falls back to Origin against Host when Sec-Fetch-Site is missing', () => {
    expect(checkProvenance({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' })).toEqual({ allowed: true, checkedBy: 'origin' });
    expect(checkProvenance({ origin: 'https://evil.example', host: '127.0.0.1:3000' }).allowed).toBe(false);
    expect(checkProvenance({ origin: 'null', host: '127.0.0.1:3000' }).allowed).toBe(false);
    expect(checkProvenance({ origin: 'not a url', host: '127.0.0.1:3000' }).allowed).toBe(false);
    expect(checkProvenance({ origin: 'http://127.0.0.1:3000' }).allowed).toBe(false);
  });

  it('leaves a request without either header to the token', () => {
    expect(checkProvenance({ host: 'example.com' })).toEqual({ allowed: true, checkedBy: 'none' });
  });
});

describe('the session CSRF token', () => {
  it('holds for its own session and key only', () => {
    const session = newSessionId();
    const token = sessionCsrfToken(KEY, session);
    expect(verifySessionCsrfToken(KEY, session, token)).toBe(true);
    expect(verifySessionCsrfToken(KEY, newSessionId(), token)).toBe(false);
    expect(verifySessionCsrfToken(randomBytes(32), session, token)).toBe(false);
    expect(verifySessionCsrfToken(KEY, session, '')).toBe(false);
    expect(verifySessionCsrfToken(KEY, session, `${token}x`)).toBe(false);
  });
});

describe('the pre-session double-submit token', () => {
  it('holds when the form repeats the cookie and the cookie is ours', () => {
    const token = newPreSessionToken(KEY);
    expect(isPreSessionToken(KEY, token)).toBe(true);
    expect(verifyPreSessionToken(KEY, token, token)).toBe(true);
  });

  it('fails without the cookie, with another cookie, or with a cookie another key signed', () => {
    const token = newPreSessionToken(KEY);
    const planted = newPreSessionToken(randomBytes(32));
    expect(verifyPreSessionToken(KEY, undefined, token)).toBe(false);
    expect(verifyPreSessionToken(KEY, newPreSessionToken(KEY), token)).toBe(false);
    expect(verifyPreSessionToken(KEY, planted, planted)).toBe(false);
    expect(verifyPreSessionToken(KEY, 'a.b', 'a.b')).toBe(false);
  });
});
