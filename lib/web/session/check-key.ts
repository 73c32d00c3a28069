// Checks the API key a person types into the sign-in form, against the same store and bootstrap key
// the API's `authenticate` middleware uses (lib/http/middleware/authenticate.ts). The key is hashed
// at once and never logged or stored; the caller charges the attempt to a rate-limit bucket first.
import { createHash } from 'node:crypto';
import { hashApiKey, looksLikeApiKey, safeEqualHex } from '../../auth/api-key.js';
import type { ApiKeyLookup, ApiKeyRecord } from '../../auth/key-store.js';
import { BOOTSTRAP_KEY_ID_PREFIX } from '../../db/web-sessions-repo.js';

export type KeyCheck =
  | { ok: true; keyId: string; tier: ApiKeyRecord['tier']; prefix: string }
  | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' };

/**
 * The key id a bootstrap session is stored under: `bootstrap:` and 16 hex characters of a hash of
 * the configured key, so rotating ADMIN_API_KEY ends the sessions the old one opened.
 */
export function bootstrapSessionKeyId(adminKey: string): string {
  return BOOTSTRAP_KEY_ID_PREFIX + createHash('sha256').update(`shd-bootstrap\n${adminKey}`, 'utf8').digest('hex').slice(0, 16);
}

export async function checkApiKey(key: string, store: ApiKeyLookup, adminKey: string | undefined): Promise<KeyCheck> {
  const hash = hashApiKey(key);
  if (adminKey !== undefined && safeEqualHex(hash, hashApiKey(adminKey))) {
    return { ok: true, keyId: bootstrapSessionKeyId(adminKey), tier: 'admin', prefix: 'bootstrap' };
  }
  if (!looksLikeApiKey(key)) return { ok: false, reason: 'malformed' };
  const found = await store.findByHash(hash);
  // The store looked up by hash; checking again guards against a store that matches loosely.
  if (found === undefined || !safeEqualHex(found.hash, hash)) return { ok: false, reason: 'unknown' };
  if (found.revokedAt !== null) return { ok: false, reason: 'revoked' };
  return { ok: true, keyId: found.id, tier: found.tier, prefix: found.prefix };
}
