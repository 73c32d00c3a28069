// API key material: generation, hashing and a constant-time comparison. Only the SHA-256 hash of a
// key is ever stored; the key itself is shown to its owner once, at creation. Keys are 256 random
// bits, so an unsalted fast hash is enough: there is no dictionary to attack.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Marks our keys, so a leaked one is recognisable (secret scanners, logs) and garbage is rejected early. */
export const API_KEY_PREFIX = 'shk_';

/** Random bytes per key: 32 bytes = 256 bits, 43 base64url characters. */
const KEY_BYTES = 32;

/** Characters of a key shown in listings: `shk_` plus 8 random characters (48 bits), never enough to use it. */
export const DISPLAY_PREFIX_LENGTH = 12;

/** `shk_` followed by exactly 43 base64url characters (32 bytes, unpadded). */
const KEY_FORMAT = /^shk_[A-Za-z0-9_-]{43}$/;

export interface GeneratedApiKey {
  /** The key itself: hand it to the owner once, never store or log it. */
  key: string;
  /** The first 12 characters, stored and shown so the owner can recognise the key. */
  prefix: string;
  /** Hex SHA-256 of the key: what the store keeps and looks keys up by. */
  hash: string;
}

export function generateApiKey(): GeneratedApiKey {
  const key = API_KEY_PREFIX + randomBytes(KEY_BYTES).toString('base64url');
  return { key, prefix: apiKeyDisplayPrefix(key), hash: hashApiKey(key) };
}

/** Hex SHA-256 of a key. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The part of a key that may be shown and logged. */
export function apiKeyDisplayPrefix(key: string): string {
  return key.slice(0, DISPLAY_PREFIX_LENGTH);
}

/** Whether a string has the shape of one of our keys; anything else never reaches the store. */
export function looksLikeApiKey(key: string): boolean {
  return KEY_FORMAT.test(key);
}

/**
 * Compares two hex strings in time that depends only on their lengths. Strings that are not
 * entirely hex never match: Buffer.from(…, 'hex') stops at the first bad character, which would
 * otherwise make two different strings decode to the same bytes.
 */
export function safeEqualHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  if (left.length * 2 !== a.length || right.length * 2 !== b.length) return false;
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}
