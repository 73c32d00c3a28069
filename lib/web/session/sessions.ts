// Server-side sessions behind the signed cookie: started at sign-in, resolved on every request,
// ended at sign-out. A cookie that fails its MAC or expiry is refused without a query; one whose
// row is gone, revoked, expired or whose key was revoked (or, for the bootstrap key, rotated) is
// refused after one indexed look-up.
import type { Caller } from '../../http/env.js';
import { createWebSession, findActiveWebSession, revokeWebSession, BOOTSTRAP_KEY_ID_PREFIX } from '../../db/web-sessions-repo.js';
import type { Queryable } from '../../db/types.js';
import type { ApiKeyRecord } from '../../auth/key-store.js';
import { bootstrapSessionKeyId } from './check-key.js';
import { hashSessionId, newSessionId, signSessionCookie, verifySessionCookie, type SessionClaim } from './session-cookie.js';

export interface StartedSession {
  claim: SessionClaim;
  /** The signed cookie value. */
  cookie: string;
}

export async function startSession(
  db: Queryable,
  key: Uint8Array,
  holder: { keyId: string; tier: ApiKeyRecord['tier'] },
  nowMs: number,
  ttlMs: number,
): Promise<StartedSession> {
  // Whole seconds, as the cookie carries them: the row and the cookie expire together.
  const claim: SessionClaim = { id: newSessionId(), expiresAtMs: Math.floor((nowMs + ttlMs) / 1000) * 1000 };
  await createWebSession(db, { idHash: hashSessionId(claim.id), keyId: holder.keyId, tier: holder.tier, expiresAt: new Date(claim.expiresAtMs) });
  return { claim, cookie: signSessionCookie(key, claim) };
}

export type ResolvedSession =
  | { ok: true; claim: SessionClaim; caller: Caller }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'ended' | 'bootstrap_rotated' };

/** The caller a session cookie stands for at `nowMs`, or why it stands for no one. */
export async function resolveSession(
  db: () => Promise<Queryable>,
  key: Uint8Array,
  cookie: string,
  nowMs: number,
  adminKey: string | undefined,
): Promise<ResolvedSession> {
  const verified = verifySessionCookie(key, cookie, nowMs);
  if (!verified.ok) return verified;
  const row = await findActiveWebSession(await db(), hashSessionId(verified.claim.id), new Date(nowMs));
  if (row === undefined) return { ok: false, reason: 'ended' };
  if (row.keyId.startsWith(BOOTSTRAP_KEY_ID_PREFIX)) {
    if (adminKey === undefined || row.keyId !== bootstrapSessionKeyId(adminKey)) return { ok: false, reason: 'bootstrap_rotated' };
    // The same caller id the API gives the bootstrap key (rate limits, job requested_by).
    return { ok: true, claim: verified.claim, caller: { tier: row.tier, keyId: 'bootstrap' } };
  }
  return { ok: true, claim: verified.claim, caller: { tier: row.tier, keyId: row.keyId } };
}

export async function endSession(db: Queryable, sessionId: string): Promise<void> {
  await revokeWebSession(db, hashSessionId(sessionId));
}
