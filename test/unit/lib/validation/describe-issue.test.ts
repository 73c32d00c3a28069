import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { describeIssue } from '../../../../lib/validation/describe-issue.js';
import { fieldPath, firstPerField, toFieldErrors } from '../../../../lib/validation/field-errors.js';

/** The issues zod reports for `input` against `schema`. */
function issuesOf(schema: z.core.$ZodType, input: unknown): z.core.$ZodIssue[] {
  const result = z.safeParse(schema, input);
  if (result.success) throw new Error('expected the input to fail');
  return result.error.issues;
}

describe('describeIssue', () => {
  it.each([
    ['a wrong type', z.string(), 5, 'must be a string'],
    ['a wrong type whose noun takes "an"', z.strictObject({}), 'x', 'must be an object'],
    ['a fractional integer', z.number().check(z.int()), 1.5, 'must be an integer'],
    ['one of several values', z.enum(['a', 'b']), 'c', 'must be one of a, b'],
    ['a single literal', z.literal('yes'), 'no', 'must be yes'],
    ['a number too big', z.number().check(z.maximum(10)), 11, 'must be at most 10'],
    ['a number not below an exclusive bound', z.number().check(z.lt(10)), 10, 'must be less than 10'],
    ['a number too small', z.number().check(z.minimum(1)), 0, 'must be at least 1'],
    ['a string too long', z.string().check(z.maxLength(3)), 'abcd', 'must be at most 3 characters'],
    ['a string of the wrong exact length', z.string().check(z.length(2)), 'abc', 'must be exactly 2 characters'],
    ['an array too long', z.array(z.number()).check(z.maxLength(1)), [1, 2], 'must be at most 1 items'],
    ['a bad date-time', z.iso.datetime(), 'now', 'must be an ISO 8601 date-time such as 2024-01-31T12:00:00Z'],
    ['a regex mismatch', z.string().check(z.regex(/^[a-z]+$/)), 'A', 'must match /^[a-z]+$/'],
    ['a format without special words', z.string().check(z.ipv4()), 'x', 'must be a valid ipv4'],
    ['a non-multiple', z.number().check(z.multipleOf(5)), 7, 'must be a multiple of 5'],
    ['a union with no match', z.union([z.string(), z.number()]), true, 'does not match any of the allowed shapes'],
  ])('describes %s in words', (_what, schema: z.core.$ZodType, input, expected) => {
    // Act
    const [issue] = issuesOf(schema, input);

    // Assess
    expect(issue && describeIssue(issue)).toBe(expected);
  });

  it('never echoes the rejected value', () => {
    // Act
    const [issue] = issuesOf(z.string().check(z.minLength(32)), 'sk_live_secret');

    // Assess
    expect(issue && describeIssue(issue)).not.toContain('sk_live_secret');
  });
});

describe('toFieldErrors', () => {
  it('gives each unknown key its own entry with its full path', () => {
    // Prepare
    const schema = z.strictObject({ source: z.strictObject({ name: z.string() }) });

    // Act
    const errors = toFieldErrors('body', issuesOf(schema, { source: { name: 'hn', url: 'u', rank: 1 }, extra: true }));

    // Assess
    expect(errors).toEqual([
      { location: 'body', field: 'source.url', message: 'is not a known field' },
      { location: 'body', field: 'source.rank', message: 'is not a known field' },
      { location: 'body', field: 'extra', message: 'is not a known field' },
    ]);
  });

  it('keeps only the first error of each field', () => {
    // Prepare
    const schema = z.strictObject({ limit: z.number().check(z.int(), z.maximum(100)) });

    // Act
    const errors = firstPerField(toFieldErrors('query', issuesOf(schema, { limit: 1e30 })));

    // Assess
    expect(errors).toEqual([{ location: 'query', field: 'limit', message: 'must be at most 9007199254740991' }]);
  });

  it('writes array indexes in brackets and the root as an empty path', () => {
    // Act
    const paths = [fieldPath(['tags', 2, 'name']), fieldPath([0]), fieldPath([])];

    // Assess
    expect(paths).toEqual(['tags[2].name', '[0]', '']);
  });
});
