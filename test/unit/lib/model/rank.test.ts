import { describe, expect, it } from 'vitest';
import { FEED_HALF_LIFE_DAYS, MIN_RANKED_SCORE, rankKey, scoreAt } from '../../../../lib/model/rank.js';

const NOW = Date.parse('2026-01-31T12:00:00Z');
const DAY = 86_400_000;

describe('rankKey and scoreAt', () => {
  it('serves the base at publication and halves it every half-life after', () => {
    // Act
    const rank = rankKey(80, new Date(NOW), NOW, FEED_HALF_LIFE_DAYS);

    // Assess
    expect(scoreAt(rank, NOW, FEED_HALF_LIFE_DAYS)).toBe(80);
    expect(scoreAt(rank, NOW + DAY, FEED_HALF_LIFE_DAYS)).toBe(40);
  });

  it('orders rows as their scores at any instant, whatever their ages', () => {
    // Prepare: an older, bigger item and a newer, smaller one
    const old = rankKey(90, new Date(NOW - 2 * DAY), NOW, 1);
    const fresh = rankKey(30, new Date(NOW), NOW, 1);

    // Assess: 90/4 = 22.5 < 30, at every later instant
    expect(fresh).toBeGreaterThan(old);
    for (const at of [NOW, NOW + DAY, NOW + 30 * DAY]) expect(scoreAt(fresh, at, 1)).toBeGreaterThanOrEqual(scoreAt(old, at, 1));
  });

  it('caps at 100, treats a future date as the scoring instant and keeps a 0 base finite', () => {
    expect(scoreAt(rankKey(400, new Date(NOW), NOW, 1), NOW, 1)).toBe(100);
    expect(rankKey(50, new Date(NOW + DAY), NOW, 1)).toBe(rankKey(50, new Date(NOW), NOW, 1));
    expect(rankKey(0, new Date(NOW), NOW, 1)).toBe(Math.log2(MIN_RANKED_SCORE) + NOW / DAY);
    expect(scoreAt(rankKey(0, new Date(NOW), NOW, 1), NOW, 1)).toBe(0);
  });
});
