// The signed session cookie: it round-trips, and any change to its id, expiry or MAC, another key,
// or the passing of its expiry makes it worthless, before any database is asked.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashSessionId, newSessionId, signSessionCookie, verifySessionCookie } from '../../../../../lib/web/session/session-cookie.js';

const KEY = randomBytes(32);
const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);

describe('the session cookie', () => {
  it('verifies a cookie it signed until the second it expires', () => {
    const claim = { id: newSessionId(), expiresAtMs: NOW + 60_000 };
    const cookie = signSessionCookie(KEY, claim);
    expect(cookie).not.toContain('shk_');
    expect(verifySessionCookie(KEY, cookie, NOW)).toEqual({ ok: true, claim });
    expect(verifySessionCookie(KEY, cookie, NOW + 59_999).ok).toBe(true);
    expect(verifySessionCookie(KEY, cookie, NOW + 60_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a cookie signed with another key, or with a changed id, expiry or MAC', () => {
    const id = newSessionId();
    const cookie = signSessionCookie(KEY, { id, expiresAtMs: NOW + 60_000 });
    const [, expires, mac] = cookie.split('.') as [string, string, string];
    const forged = [
      signSessionCookie(randomBytes(32), { id, expiresAtMs: NOW + 60_000 }),
      `${newSessionId()}.${expires}.${mac}`,
      `${id}.${String(Number(expires) + 3600)}.${mac}`,
      `${id}.${expires}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
    ];
    for (const value of forged) expect(verifySessionCookie(KEY, value, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('calls anything not shaped like a session cookie malformed', () => {
    for (const value of ['', 'x', 'a.b.c', `${newSessionId()}.0.${'A'.repeat(43)}`, `${'A'.repeat(43)}.1.${'A'.repeat(43)}.x`, 'shk_' + 'A'.repeat(43)]) {
      expect(verifySessionCookie(KEY, value, NOW)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('makes random 256-bit ids and stores only their hash', () => {
    const ids = new Set(Array.from({ length: 100 }, newSessionId));
    expect(ids.size).toBe(100);
    const [id] = ids as Set<string> & Iterable<string>;
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashSessionId(id as string)).toMatch(/^[0-9a-f]{64}$/);
  });
});
