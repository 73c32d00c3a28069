// Turns a query string into the object a route's query schema parses. A field the schema types as
// an array collects every occurrence (`?tag=a&tag=b` → ['a', 'b'], `?tag=a` → ['a']); a scalar
// field given twice is an error rather than a silent first-or-last pick. Unknown keys are kept
// as they came, so the strict schema names them.
import type * as z from 'zod/mini';
import type { FieldError } from '../../validation/field-errors.js';
import { acceptsArray } from '../../validation/schema-shape.js';

export interface QueryLayout {
  /** Declared fields that take a list. */
  lists: ReadonlySet<string>;
  /** Declared fields that take one value. */
  scalars: ReadonlySet<string>;
}

/** Worked out once per route, from its query schema's shape. */
export function queryLayout(shape: Readonly<Record<string, z.core.$ZodType>>): QueryLayout {
  const lists = new Set<string>();
  const scalars = new Set<string>();
  for (const [name, schema] of Object.entries(shape)) (acceptsArray(schema) ? lists : scalars).add(name);
  return { lists, scalars };
}

export interface QueryInput {
  /** Built with own properties only, so keys like `__proto__` arrive as data, not as a prototype. */
  values: Record<string, string | string[]>;
  /** Scalar fields given more than once. */
  errors: FieldError[];
}

export function readQuery(search: URLSearchParams, layout: QueryLayout): QueryInput {
  const collected = new Map<string, string[]>();
  for (const [key, value] of search) {
    const seen = collected.get(key);
    if (seen === undefined) collected.set(key, [value]);
    else seen.push(value);
  }
  const errors: FieldError[] = [];
  const entries: [string, string | string[]][] = [];
  for (const [key, values] of collected) {
    if (layout.lists.has(key)) {
      entries.push([key, values]);
      continue;
    }
    if (values.length > 1 && layout.scalars.has(key)) {
      errors.push({ location: 'query', field: key, message: 'must be given only once' });
    }
    entries.push([key, values[0] ?? '']);
  }
  // Object.fromEntries defines properties (CreateDataProperty); assignment would run the
  // `__proto__` setter and lose the key, letting an unknown parameter slip through unreported.
  return { values: Object.fromEntries(entries), errors };
}
