// Feed tokens: feed readers cannot send headers, so a feed URL carries a random token of its own
// (never the API key). Like API keys, a token is 256 random bits shown once and stored only as its
// SHA-256 hash; rotating it makes the old URL a 404 at once.
import { randomBytes } from 'node:crypto';
import { hashApiKey } from '../auth/api-key.js';

/** Marks feed tokens, so a leaked one is recognisable and never mistaken for an API key (`shk_`). */
export const FEED_TOKEN_PREFIX = 'shf_';

/** `shf_` followed by 43 base64url characters (32 bytes, unpadded). */
export const FEED_TOKEN_PATTERN = /^shf_[A-Za-z0-9_-]{43}$/;

/** Characters shown in listings: `shf_` plus 8 (48 bits), never enough to use it. */
const DISPLAY_LENGTH = 12;

export interface GeneratedFeedToken {
  /** The token: hand it to the owner once, never store or log it. */
  token: string;
  prefix: string;
  /** Hex SHA-256, what the watches table keeps and looks tokens up by. */
  hash: string;
}

export function generateFeedToken(): GeneratedFeedToken {
  const token = FEED_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, prefix: token.slice(0, DISPLAY_LENGTH), hash: hashFeedToken(token) };
}

/** Same hash as API keys: 256 random bits need no salt or slow hash. */
export function hashFeedToken(token: string): string {
  return hashApiKey(token);
}
