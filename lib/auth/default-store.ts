// The API-key store every authenticating function uses: Postgres behind this container's database.
import { createApiKeyStore } from '../db/api-keys-repo.js';
import { getDb } from '../db/client.js';
import type { ApiKeyLookup } from './key-store.js';

let store: ApiKeyLookup | undefined;

export function defaultKeyStore(): ApiKeyLookup {
  store ??= createApiKeyStore(getDb);
  return store;
}
