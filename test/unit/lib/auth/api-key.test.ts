import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  apiKeyDisplayPrefix,
  generateApiKey,
  hashApiKey,
  looksLikeApiKey,
  safeEqualHex,
} from '../../../../lib/auth/api-key.js';

describe('generateApiKey', () => {
  it('makes a shk_ key of 32 random bytes in base64url', () => {
    // Act
    const { key } = generateApiKey();

    // Assess
    expect(key).toMatch(/^shk_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice(4), 'base64url')).toHaveLength(32);
  });

  it('returns the first 12 characters as the prefix and the hex SHA-256 as the hash', () => {
    // Act
    const { key, prefix, hash } = generateApiKey();

    // Assess
    expect(prefix).toBe(key.slice(0, 12));
    expect(prefix).toBe(apiKeyDisplayPrefix(key));
    expect(hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('never makes the same key twice', () => {
    // Act
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey().key));

    // Assess
    expect(keys.size).toBe(200);
  });

  it('makes keys that pass its own format check', () => {
    // Act
    const { key } = generateApiKey();

    // Assess
    expect(looksLikeApiKey(key)).toBe(true);
  });
});

describe('hashApiKey', () => {
  it('is the hex SHA-256 of the key', () => {
    // Act
    const hash = hashApiKey('shk_abc');

    // Assess
    expect(hash).toBe(createHash('sha256').update('shk_abc').digest('hex'));
  });
});

describe('looksLikeApiKey', () => {
  const valid = `shk_${'A'.repeat(43)}`;

  it.each([
    ['is empty', ''],
    ['has another prefix', `sk_${'A'.repeat(44)}`],
    ['is one character short', valid.slice(0, -1)],
    ['is one character long', `${valid}A`],
    ['holds base64 padding', `${valid.slice(0, -1)}=`],
    ['holds a plus sign', `${valid.slice(0, -1)}+`],
    ['holds a space', `${valid.slice(0, -1)} `],
    ['ends in a newline', `${valid}\n`],
    ['has an upper-case prefix', `SHK_${'A'.repeat(43)}`],
  ])('rejects a string that %s', (_why, candidate) => {
    // Act
    const result = looksLikeApiKey(candidate);

    // Assess
    expect(result).toBe(false);
  });

  it('accepts base64url characters including - and _', () => {
    // Act
    const result = looksLikeApiKey(`shk_${'-_aZ09'.repeat(7)}x`);

    // Assess
    expect(result).toBe(true);
  });
});

describe('safeEqualHex', () => {
  const hash = hashApiKey('shk_one');

  it('matches equal hex strings', () => {
    // Act
    const result = safeEqualHex(hash, hashApiKey('shk_one'));

    // Assess
    expect(result).toBe(true);
  });

  it('ignores hex letter case', () => {
    // Act
    const result = safeEqualHex(hash, hash.toUpperCase());

    // Assess
    expect(result).toBe(true);
  });

  it('does not match different hashes of equal length', () => {
    // Act
    const result = safeEqualHex(hash, hashApiKey('shk_two'));

    // Assess
    expect(result).toBe(false);
  });

  it('does not match strings of different lengths', () => {
    // Act
    const result = safeEqualHex(hash, hash.slice(0, 62));

    // Assess
    expect(result).toBe(false);
  });

  it.each([
    ['two different non-hex strings', 'zz', 'yy'],
    ['a hex string and the same with garbage appended', 'abcd', 'abcdzz'],
    ['an odd-length string and its even-length start', 'abc', 'ab'],
    ['a non-hex string and the empty string', 'zz', ''],
  ])('does not match %s, although they decode to the same bytes', (_why, a, b) => {
    // Act
    const result = safeEqualHex(a, b);

    // Assess
    expect(result).toBe(false);
  });
});
