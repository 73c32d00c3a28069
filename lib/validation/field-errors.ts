// Turns zod issues into the `details` a client reads: one entry per offending field, saying where it
// was (path, query or body), which field, and what it must be. Unknown fields get an entry each, so
// a typo like `?limt=5` is named rather than lost in a summary.
import type * as z from 'zod/mini';
import { describeIssue } from './describe-issue.js';

/** Where in the request a field was found. */
export type FieldLocation = 'params' | 'query' | 'body';

export interface FieldError {
  location: FieldLocation;
  /** Dotted path with array indexes in brackets (`filters.tags[2]`); empty for the whole value. */
  field: string;
  message: string;
}

/** `['filters', 'tags', 2]` → `filters.tags[2]`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** One entry per problem; each unknown field gets its own entry. */
export function toFieldErrors(location: FieldLocation, issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push({ location, field: fieldPath([...issue.path, key]), message: 'is not a known field' });
    } else {
      errors.push({ location, field: fieldPath(issue.path), message: describeIssue(issue) });
    }
  }
  return errors;
}

/**
 * Keeps the first error of each field: zod can report two bounds for one value (the safe-integer
 * range, then the schema's maximum), and the second adds nothing a client can act on.
 */
export function firstPerField(errors: readonly FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.location}\u0000${error.field}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
