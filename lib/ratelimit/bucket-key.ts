// Where a bucket lives: `{prefix}rate_limit:{sha256(identifier)}:{tier}`. The identifier (an API key
// id or a client IP) is hashed before it touches Redis, so the store never holds one in clear. The
// Redis store and the limiter both build keys here, so they always agree.
import { hash } from 'node:crypto';

/** SHA-256 of `identifier` (UTF-8), as 64 lowercase hex characters. */
export function hashIdentifier(identifier: string): string {
  return hash('sha256', identifier, 'hex');
}

/** The key of a bucket whose identifier is already hashed (see `hashIdentifier`). */
export function bucketKeyFromHash(identifierHash: string, tier: string, prefix = ''): string {
  return `${prefix}rate_limit:${identifierHash}:${tier}`;
}

/**
 * The key of the bucket of (`identifier`, `tier`). `prefix` isolates environments or tests
 * (e.g. `test-3f9a:`); production uses none.
 */
export function bucketKey(identifier: string, tier: string, prefix = ''): string {
  return bucketKeyFromHash(hashIdentifier(identifier), tier, prefix);
}
