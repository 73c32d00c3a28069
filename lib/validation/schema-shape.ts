// Questions about a schema's structure that parsing alone cannot answer: does this object drop
// unknown keys silently, and does this query field take a list. Both are asked once, when a route
// is mounted, never per request.
import type * as z from 'zod/mini';
import { fieldPath } from './field-errors.js';

type Segment = string | number;
type SchemaDef = z.core.$ZodTypes['_zod']['def'];

/** The schema a wrapper (optional, nullable, default…) stands around; undefined for any other kind. */
function wrappedSchema(def: SchemaDef): z.core.$ZodType | undefined {
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return def.innerType;
    default:
      return undefined;
  }
}

/** The schemas nested directly inside `schema`, each with the path segment that leads to it. */
function children(schema: z.core.$ZodType): [Segment[], z.core.$ZodType][] {
  const def = (schema as z.core.$ZodTypes)._zod.def;
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape).map(([key, child]) => [[key], child]);
    case 'array':
      return [[[0], def.element]];
    case 'tuple': {
      const items = def.items.map((item, index): [Segment[], z.core.$ZodType] => [[index], item]);
      if (def.rest !== null) items.push([[def.items.length], def.rest]);
      return items;
    }
    case 'record':
      return [[['*'], def.valueType]];
    case 'union':
      return def.options.map((option) => [[], option]);
    case 'intersection':
      return [[[], def.left], [[], def.right]];
    case 'pipe':
      return [[[], def.in], [[], def.out]];
    case 'lazy':
      return [[[], def.getter()]];
    default: {
      const inner = wrappedSchema(def);
      return inner === undefined ? [] : [[[], inner]];
    }
  }
}

/** An object schema that accepts keys it does not declare without reporting them. */
function dropsOrPassesUnknownKeys(schema: z.core.$ZodType): boolean {
  const def = (schema as z.core.$ZodTypes)._zod.def;
  if (def.type !== 'object') return false;
  // `z.strictObject` sets catchall `never`; `z.object` leaves it unset (strip), `z.looseObject`
  // sets `unknown`. A catchall with a real schema validates the extra keys, so it is allowed.
  const catchall = def.catchall?._zod.def.type;
  return catchall === undefined || catchall === 'unknown' || catchall === 'any';
}

/**
 * Paths (`''` for the root, `filters.range`) of every object schema inside `schema` that would
 * strip or pass through unknown keys instead of rejecting them. Empty when every object is strict.
 */
export function lenientObjectPaths(schema: z.core.$ZodType): string[] {
  const found: string[] = [];
  const visited = new Set<z.core.$ZodType>();
  const visit = (node: z.core.$ZodType, path: Segment[]): void => {
    if (visited.has(node)) return; // recursive schemas (z.lazy) would otherwise loop forever
    visited.add(node);
    if (dropsOrPassesUnknownKeys(node)) found.push(fieldPath(path));
    for (const [segment, child] of children(node)) visit(child, [...path, ...segment]);
  };
  visit(schema, []);
  return found;
}

/** Whether a query field takes a list, so `?tag=a&tag=b` (and a single `?tag=a`) become an array. */
export function acceptsArray(schema: z.core.$ZodType): boolean {
  const def = (schema as z.core.$ZodTypes)._zod.def;
  switch (def.type) {
    case 'array':
      return true;
    case 'pipe':
      return acceptsArray(def.in);
    default: {
      const inner = wrappedSchema(def);
      return inner !== undefined && acceptsArray(inner);
    }
  }
}
