// The narrow view of the API key store that authentication needs. The Postgres implementation lives
// in lib/db/; tests use test/support/memory-key-store.ts.
import type { Tier } from '../model/tiers.js';

export interface ApiKeyRecord {
  /** Stable id; logged, used as the rate-limit identifier and as `caller.keyId`. */
  id: string;
  /** Owner-chosen label. */
  name: string;
  /** What the key may do; a key always ranks above anonymous. */
  tier: Exclude<Tier, 'anonymous'>;
  /** First 12 characters of the key, for listings and logs. */
  prefix: string;
  createdAt: Date;
  /** Last authenticated use, updated at most about once a minute per container. */
  lastUsedAt: Date | null;
  /** Set when revoked; a revoked key is refused from then on (within the cache TTL). */
  revokedAt: Date | null;
}

export interface ApiKeyLookup {
  /** The key whose SHA-256 hex hash is `hash`, revoked or not; undefined when there is none. */
  findByHash(hash: string): Promise<(ApiKeyRecord & { hash: string }) | undefined>;
  /** Records a use of the key now. Optional: a read-only store simply has no last-used time. */
  touch?(id: string): Promise<void>;
}
