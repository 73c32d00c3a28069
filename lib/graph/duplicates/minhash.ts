// MinHash signatures and their LSH band keys, written here rather than taken from a library: the
// npm MinHash packages are unmaintained or pull in big-integer arithmetic for a job of ~60 lines of
// 32-bit integer math. One 32-bit hash per token (FNV-1a), permuted SIGNATURE_SIZE ways by xor with
// a fixed seed and murmur3's finaliser; the minimum of each permutation is one signature value.
import { BANDS, ROWS, SIGNATURE_SIZE } from './params.js';

/** murmur3's 32-bit finaliser: a cheap bijective mix, good enough as a hash permutation. */
function fmix32(input: number): number {
  let h = input;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units: a token's 32-bit hash. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    h ^= text.charCodeAt(index);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Fixed seeds, one per permutation (a signature must mean the same in every container and run). */
const SEEDS: Uint32Array = (() => {
  const seeds = new Uint32Array(SIGNATURE_SIZE);
  let state = 0x9e3779b9;
  for (let index = 0; index < SIGNATURE_SIZE; index += 1) {
    state = fmix32(state + 0x6d2b79f5);
    seeds[index] = state;
  }
  return seeds;
})();

/** The MinHash signature of a set of token hashes (all values 2^32 − 1 for an empty set). */
export function minhash(hashes: ArrayLike<number>): Uint32Array {
  const signature = new Uint32Array(SIGNATURE_SIZE).fill(0xffffffff);
  for (let position = 0; position < hashes.length; position += 1) {
    const base = hashes[position] as number;
    for (let index = 0; index < SIGNATURE_SIZE; index += 1) {
      const value = fmix32(base ^ (SEEDS[index] as number));
      if (value < (signature[index] as number)) signature[index] = value;
    }
  }
  return signature;
}

/**
 * One key per band: the band's number times 2^32 plus a hash of its ROWS values, so equal keys mean
 * (up to a 2^-32 collision) equal bands of the same number. Below 2^53: exact as a JS number and a bigint.
 */
export function bandKeys(signature: Uint32Array): number[] {
  const keys: number[] = [];
  for (let band = 0; band < BANDS; band += 1) {
    let h = band + 1;
    for (let row = 0; row < ROWS; row += 1) h = fmix32(h ^ (signature[band * ROWS + row] as number));
    keys.push(band * 0x1_0000_0000 + h);
  }
  return keys;
}

/** The Jaccard similarity of two sorted, distinct lists of token hashes: |A ∩ B| / |A ∪ B|. */
export function jaccard(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      shared += 1;
      i += 1;
      j += 1;
    } else if (x < y) i += 1;
    else j += 1;
  }
  const union = a.length + b.length - shared;
  return union === 0 ? 0 : shared / union;
}
