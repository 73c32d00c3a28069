// The API-key store every authenticating function uses: Postgres behind this container's database.
// Wired here, beside the routes that read the database, rather than in lib/auth: auth defines what a
// key store is, db implements it, and neither needs the other.
import { createApiKeyStore } from '../db/api-keys-repo.js';
import { getDb } from '../db/client.js';
import type { ApiKeyLookup } from '../auth/key-store.js';

let store: ApiKeyLookup | undefined;

export function defaultKeyStore(): ApiKeyLookup {
  store ??= createApiKeyStore(getDb);
  return store;
}
