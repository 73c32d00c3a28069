import { describe, expect, it } from 'vitest';
import { hasTier, isTier, tierRank, TIERS } from '../../../../lib/model/tiers.js';

describe('tiers', () => {
  it('ranks anonymous < api_key < premium < admin', () => {
    // Act
    const ranks = TIERS.map(tierRank);

    // Assess
    expect(ranks).toEqual([0, 1, 2, 3]);
    expect(TIERS).toEqual(['anonymous', 'api_key', 'premium', 'admin']);
  });

  it.each([
    ['anonymous', 'anonymous', true],
    ['anonymous', 'api_key', false],
    ['api_key', 'api_key', true],
    ['api_key', 'premium', false],
    ['premium', 'api_key', true],
    ['admin', 'premium', true],
    ['premium', 'admin', false],
  ] as const)('a %s caller meets a %s requirement: %s', (caller, required, expected) => {
    // Act
    const result = hasTier(caller, required);

    // Assess
    expect(result).toBe(expected);
  });

  it('recognises tier names and nothing else', () => {
    // Act
    const results = ['admin', 'premium', 'Admin', 'root', ''].map(isTier);

    // Assess
    expect(results).toEqual([true, true, false, false, false]);
  });
});
