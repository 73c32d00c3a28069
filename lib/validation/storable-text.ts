// Text Postgres cannot store: a NUL character (U+0000; `text` refuses it with SQLSTATE 22021, and
// jsonb refuses `\u0000`) and an unpaired UTF-16 surrogate (no UTF-8 encoding: jsonb refuses the
// `\ud800` escape JSON.stringify writes for it, and elsewhere it would be silently replaced). The
// request checks reject both in every string of a request — values and object keys, at any depth —
// before a schema parses it, so no value reaches a statement the database would refuse.
import type { FieldError, FieldLocation } from './field-errors.js';
import { fieldPath } from './field-errors.js';

export const UNSTORABLE_TEXT_MESSAGE = 'must not contain NUL (U+0000) characters or unpaired surrogates';

/** A NUL, or a surrogate half without its other half (String#isWellFormed is ES2024, past our lib). */
// eslint-disable-next-line no-control-regex -- finding U+0000 is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

/** Whether Postgres can store `text` as it is. */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** Nesting deeper than this is not walked (the body limit bounds what can arrive at all). */
const MAX_DEPTH = 64;

/**
 * One FieldError per place in `value` that holds unstorable text: a string value (at its path) or
 * an object key (at the key's path). Walks plain JSON data: objects, arrays, strings.
 */
export function unstorableTextErrors(location: FieldLocation, value: unknown): FieldError[] {
  // Nearly every request holds none: find that out without building a path per value.
  if (!holdsUnstorable(value, 0)) return [];
  const errors: FieldError[] = [];
  const visit = (node: unknown, path: (string | number)[]): void => {
    if (typeof node === 'string') {
      if (!isStorableText(node)) errors.push({ location, field: fieldPath(path), message: UNSTORABLE_TEXT_MESSAGE });
      return;
    }
    if (typeof node !== 'object' || node === null || path.length >= MAX_DEPTH) return;
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...path, index]));
      return;
    }
    for (const [key, child] of Object.entries(node)) {
      // A bad key is named by what can be printed of it; the value under it is not looked at.
      if (!isStorableText(key)) errors.push({ location, field: fieldPath([...path, printable(key)]), message: UNSTORABLE_TEXT_MESSAGE });
      else visit(child, [...path, key]);
    }
  };
  visit(value, []);
  return errors;
}

/** Whether any string or key inside `value` is unstorable (no allocation). */
function holdsUnstorable(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (typeof value !== 'object' || value === null || depth >= MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (holdsUnstorable(item, depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (UNSTORABLE.test(key) || holdsUnstorable((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/** `key` with NULs and lone surrogates replaced by U+FFFD, so it can be sent back in an error. */
function printable(key: string): string {
  return key.replace(UNSTORABLE_ALL, '\uFFFD');
}
