// Names as resolution compares them: folded to plain lower-case letters and digits, split into
// tokens, and the keys the candidate search indexes. Linear in the input, no backtracking regex.
import { jaroWinkler } from '@skyra/jaro-winkler';

/** Longest name compared: a source's display field is short; anything longer is cut first. */
const MAX_NAME_CHARS = 200;

/** `Lena Müller` → `lena muller`; `ana_ribeiro` → `ana ribeiro`; punctuation and case gone. */
export function normaliseName(name: string): string {
  return name
    .slice(0, MAX_NAME_CHARS)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The tokens of a normalised name (one letter and shorter dropped: initials say little). */
export function nameTokens(normalised: string): string[] {
  return normalised.split(' ').filter((token) => token.length >= 2);
}

/**
 * The keys an alias is found by: its tokens and its compact form (`anaribeiro`), from its handle
 * and its display name. Two aliases sharing a key are compared; none shared, never.
 */
export function blockKeys(...names: ReadonlyArray<string | undefined | null>): string[] {
  const keys = new Set<string>();
  for (const name of names) {
    if (name === undefined || name === null) continue;
    const normalised = normaliseName(name);
    if (normalised === '') continue;
    for (const token of nameTokens(normalised)) keys.add(token);
    keys.add(normalised.replaceAll(' ', ''));
  }
  return [...keys];
}

function sortedTokens(normalised: string): string {
  return normalised.split(' ').sort().join(' ');
}

/**
 * Similarity of two names, 0–1: the best Jaro-Winkler of the normalised names as written, with
 * their tokens sorted (`Ribeiro Ana` = `Ana Ribeiro`) and compacted (`ana_ribeiro` = `Ana Ribeiro`).
 */
export function nameSimilarity(a: string, b: string): number {
  const left = normaliseName(a);
  const right = normaliseName(b);
  if (left === '' || right === '') return 0;
  if (left === right) return 1;
  return Math.max(
    jaroWinkler(left, right),
    jaroWinkler(sortedTokens(left), sortedTokens(right)),
    jaroWinkler(left.replaceAll(' ', ''), right.replaceAll(' ', '')),
  );
}
