// API keys in Postgres. Listings and admin operations never read the hash; only the look-up by
// hash returns it (authentication compares it in constant time). Ids arrive from URLs: a malformed
// one is "not found" without a query.
import type { ApiKeyLookup, ApiKeyRecord } from '../auth/key-store.js';
import { isUuid } from './ids.js';
import { sql } from './sql.js';
import type { Db, Queryable } from './types.js';

export interface NewApiKey {
  name: string;
  tier: ApiKeyRecord['tier'];
  /** The key's display prefix (lib/auth/api-key.ts). */
  prefix: string;
  /** Hex SHA-256 of the key; the key itself is never stored. */
  hash: string;
}

/** Everything but the hash, under ApiKeyRecord's names; the tier column's CHECK matches ApiKeyRecord['tier']. */
const KEY_COLUMNS = sql`
  id::text AS id, name, tier, prefix, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

const SHA256_HEX = /^[0-9a-f]{64}$/;

export async function createApiKey(db: Queryable, key: NewApiKey): Promise<ApiKeyRecord> {
  const rows = await db.query<ApiKeyRecord>(sql`
    INSERT INTO api_keys (name, tier, prefix, hash) VALUES (${key.name}, ${key.tier}, ${key.prefix}, ${key.hash})
    RETURNING ${KEY_COLUMNS}`);
  const [record] = rows;
  if (record === undefined) throw new Error('INSERT … RETURNING returned no row');
  return record;
}

/** Every key, revoked ones included, newest first. */
export function listApiKeys(db: Queryable): Promise<ApiKeyRecord[]> {
  return db.query<ApiKeyRecord>(sql`SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY api_keys.created_at DESC, api_keys.id DESC`);
}

/** Revokes a key. Revoking again changes nothing: the first revocation time stays. */
export async function revokeApiKey(db: Queryable, id: string): Promise<ApiKeyRecord | undefined> {
  if (!isUuid(id)) return undefined;
  const rows = await db.query<ApiKeyRecord>(sql`
    UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = ${id}::uuid
    RETURNING ${KEY_COLUMNS}`);
  return rows[0];
}

/** The key with this hash, revoked or not, with its hash (for the constant-time comparison). */
export async function findApiKeyByHash(db: Queryable, hash: string): Promise<(ApiKeyRecord & { hash: string }) | undefined> {
  if (!SHA256_HEX.test(hash)) return undefined;
  const rows = await db.query<ApiKeyRecord & { hash: string }>(sql`SELECT ${KEY_COLUMNS}, hash FROM api_keys WHERE hash = ${hash}`);
  return rows[0];
}

/** Records a use of the key now; an unknown or malformed id is ignored. */
export async function touchApiKey(db: Queryable, id: string): Promise<void> {
  if (!isUuid(id)) return;
  await db.query(sql`UPDATE api_keys SET last_used_at = now() WHERE id = ${id}::uuid`);
}

/** The store authentication uses; the database is opened on first use, not when the store is made. */
export function createApiKeyStore(getDb: () => Promise<Db>): ApiKeyLookup {
  return {
    findByHash: async (hash) => findApiKeyByHash(await getDb(), hash),
    touch: async (id) => touchApiKey(await getDb(), id),
  };
}
