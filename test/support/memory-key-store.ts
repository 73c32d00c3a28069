// An in-memory ApiKeyLookup for tests: issues real keys, counts calls, and can be told to fail.
import { generateApiKey } from '../../lib/auth/api-key.js';
import type { ApiKeyLookup, ApiKeyRecord } from '../../lib/auth/key-store.js';

export interface AddKeyOptions {
  name?: string;
  tier?: ApiKeyRecord['tier'];
  revoked?: boolean;
}

export interface IssuedKey {
  /** The plain key, to send in a request. */
  key: string;
  record: ApiKeyRecord;
}

export class MemoryKeyStore implements ApiKeyLookup {
  /** How often each method was called. */
  readonly calls = { findByHash: 0, touch: 0 };
  /** When set, every call rejects with this error (a store that is down). */
  failWith: Error | undefined;
  readonly #byHash = new Map<string, ApiKeyRecord & { hash: string }>();
  #nextId = 1;

  /** Issues a key and stores its record; only the hash is kept, as in the real store. */
  add(options: AddKeyOptions = {}): IssuedKey {
    const { key, prefix, hash } = generateApiKey();
    const record: ApiKeyRecord = {
      id: `key-${String(this.#nextId++)}`,
      name: options.name ?? 'test key',
      tier: options.tier ?? 'api_key',
      prefix,
      createdAt: new Date(),
      lastUsedAt: null,
      revokedAt: options.revoked === true ? new Date() : null,
    };
    this.#byHash.set(hash, { ...record, hash });
    return { key, record };
  }

  revoke(id: string): void {
    for (const stored of this.#byHash.values()) {
      if (stored.id === id) stored.revokedAt = new Date();
    }
  }

  /** The stored record of a key id, to read `lastUsedAt`. */
  get(id: string): ApiKeyRecord | undefined {
    for (const { hash: _hash, ...record } of this.#byHash.values()) {
      if (record.id === id) return record;
    }
    return undefined;
  }

  findByHash(hash: string): Promise<(ApiKeyRecord & { hash: string }) | undefined> {
    this.calls.findByHash++;
    if (this.failWith !== undefined) return Promise.reject(this.failWith);
    const stored = this.#byHash.get(hash);
    // A copy: a caller that keeps the record must not see later changes except through a new look-up.
    return Promise.resolve(stored === undefined ? undefined : { ...stored });
  }

  touch(id: string): Promise<void> {
    this.calls.touch++;
    if (this.failWith !== undefined) return Promise.reject(this.failWith);
    for (const stored of this.#byHash.values()) {
      if (stored.id === id) stored.lastUsedAt = new Date();
    }
    return Promise.resolve();
  }
}
