// An item's near-duplicate fingerprint: its token set as sorted 32-bit hashes (what candidates are
// compared on, exactly), and the LSH band keys of its MinHash (how candidates are found, by index).
import { tokensOf } from './normalise.js';
import { bandKeys, fnv1a, minhash } from './minhash.js';
import { MIN_TOKENS } from './params.js';

export interface Fingerprint {
  /** Distinct token hashes as signed 32-bit integers (Postgres int4[]), ascending. */
  tokens: Int32Array;
  /** One key per LSH band (minhash.ts bandKeys). */
  bandKeys: number[];
}

/** The fingerprint of a title and text; undefined when they have fewer than MIN_TOKENS tokens. */
export function fingerprintOf(title: string, text: string): Fingerprint | undefined {
  const tokens = tokensOf(title, text);
  if (tokens.size < MIN_TOKENS) return undefined;
  const hashes = Int32Array.from(tokens, (token) => fnv1a(token) | 0).sort();
  const unique = hashes.filter((value, index) => index === 0 || value !== hashes[index - 1]);
  return { tokens: unique, bandKeys: bandKeys(minhash(Uint32Array.from(unique))) };
}
