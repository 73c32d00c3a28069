import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { acceptsArray, lenientObjectPaths } from '../../../../lib/validation/schema-shape.js';

describe('lenientObjectPaths', () => {
  it('finds nothing in strict objects, however they are wrapped', () => {
    // Prepare
    const schema = z.strictObject({
      a: z.optional(z.strictObject({ b: z.nullable(z.array(z.strictObject({ c: z.string() }))) })),
      d: z._default(z.strictObject({ e: z.number() }), { e: 1 }),
      f: z.union([z.strictObject({ g: z.string() }), z.string()]),
      h: z.record(z.string(), z.strictObject({})),
    });

    // Act
    const found = lenientObjectPaths(schema);

    // Assess
    expect(found).toEqual([]);
  });

  it('names every object that would strip or pass through unknown keys', () => {
    // Prepare
    const schema = z.object({
      a: z.optional(z.looseObject({})),
      list: z.array(z.object({})),
      pair: z.tuple([z.string(), z.object({})]),
      map: z.record(z.string(), z.object({})),
      piped: z.pipe(z.object({}), z.transform((value) => value)),
    });

    // Act
    const found = lenientObjectPaths(schema);

    // Assess
    expect(found).toEqual(['', 'a', 'list[0]', 'pair[1]', 'map.*', 'piped']);
  });

  it('accepts an object whose extra keys are validated by a catchall schema', () => {
    // Act
    const found = lenientObjectPaths(z.catchall(z.strictObject({}), z.number()));

    // Assess
    expect(found).toEqual([]);
  });

  it('terminates on a recursive schema', () => {
    // Prepare
    interface Node {
      children: Node[];
    }
    const node: z.ZodMiniType<Node> = z.object({
      get children() {
        return z.array(node);
      },
    });

    // Act
    const found = lenientObjectPaths(z.strictObject({ root: z.lazy(() => node) }));

    // Assess
    expect(found).toEqual(['root']);
  });
});

describe('acceptsArray', () => {
  it.each([
    ['an array', z.array(z.string()), true],
    ['an optional array', z.optional(z.array(z.string())), true],
    ['a defaulted array', z._default(z.array(z.string()), []), true],
    ['a string', z.string(), false],
    ['an optional coerced number', z.optional(z.coerce.number()), false],
  ])('says whether %s takes a list', (_what, schema: z.core.$ZodType, expected) => {
    // Act
    const result = acceptsArray(schema);

    // Assess
    expect(result).toBe(expected);
  });
});
