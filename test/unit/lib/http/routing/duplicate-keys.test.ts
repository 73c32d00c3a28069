import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstDuplicateKey } from '../../../../../lib/http/routing/duplicate-keys.js';

describe('firstDuplicateKey', () => {
  it.each([
    ['{"a":1,"a":2}', ['a']],
    ['{"tier":"api_key","name":"x","tier":"admin"}', ['tier']],
    ['{"a":{"b":1,"b":2}}', ['a', 'b']],
    ['{"list":[{"x":1},{"x":1,"x":2}]}', ['list', 1, 'x']],
    ['{"\\u0061":1,"a":2}', ['a']],
    ['[{"k":"\\"","k":1}]', [0, 'k']],
  ])('finds the repeated key of %s', (text, path) => {
    expect(firstDuplicateKey(text)).toEqual(path);
  });

  it.each(['{}', '{"a":1,"b":{"a":1}}', '[{"a":1},{"a":2}]', '{"a":"{\\"a\\":1,\\"a\\":2}"}', '"{"', '[1,2,3]'])('finds none in %s', (text) => {
    expect(firstDuplicateKey(text)).toBeUndefined();
  });

  it('finds none in anything JSON.stringify writes (its objects cannot repeat a key)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(firstDuplicateKey(JSON.stringify(value))).toBeUndefined();
      }),
    );
  });
});
