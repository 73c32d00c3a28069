// zod/mini ships no locale, so every issue's message is just "Invalid input". These words say what
// the value must look like instead; configuration errors and request validation both use them, so a
// client and an operator read the same phrasing. Values are never echoed: some of them are secrets.
import type * as z from 'zod/mini';

/** Human words for string formats whose zod name would read badly ("must be a valid datetime"). */
const FORMAT_WORDS: Readonly<Partial<Record<string, string>>> = {
  datetime: 'an ISO 8601 date-time such as 2024-01-31T12:00:00Z',
  date: 'an ISO 8601 date such as 2024-01-31',
  time: 'an ISO 8601 time such as 12:00:00',
  duration: 'an ISO 8601 duration such as P1D',
  uuid: 'a UUID',
  url: 'a URL',
  email: 'an email address',
};

/** "a number", "an integer", "an object": the article the noun needs. */
function withArticle(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** zod reports `expected: "int"` for integer checks; "must be a int" helps no one. */
function typeNoun(expected: string): string {
  return expected === 'int' ? 'integer' : expected;
}

/** "100", "100 characters", "100 items": what a bound counts depends on what was measured. */
function bound(value: number | bigint, origin: string): string {
  const count = String(value);
  if (origin === 'string') return `${count} characters`;
  if (origin === 'array' || origin === 'set') return `${count} items`;
  return count;
}

/** The predicate of a sentence whose subject is the field: "limit" + " must be at most 100". */
export function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${String(issue.values[0])}`
        : `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_type':
      return `must be ${withArticle(typeNoun(issue.expected))}`;
    case 'invalid_format':
      // A `regex` check reports format "regex": say what to match, not "must be a valid regex".
      if (issue.format === 'regex' && issue.pattern !== undefined) return `must match ${issue.pattern}`;
      return `must be ${FORMAT_WORDS[issue.format] ?? `a valid ${issue.format}`}`;
    case 'too_small':
      if (issue.exact === true) return `must be exactly ${bound(issue.minimum, issue.origin)}`;
      return issue.inclusive === false
        ? `must be more than ${bound(issue.minimum, issue.origin)}`
        : `must be at least ${bound(issue.minimum, issue.origin)}`;
    case 'too_big':
      if (issue.exact === true) return `must be exactly ${bound(issue.maximum, issue.origin)}`;
      return issue.inclusive === false
        ? `must be less than ${bound(issue.maximum, issue.origin)}`
        : `must be at most ${bound(issue.maximum, issue.origin)}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `has unknown fields ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'does not match any of the allowed shapes';
    default:
      return 'is invalid';
  }
}
