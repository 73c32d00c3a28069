import { describe, expect, it } from 'vitest';
import {
  CATEGORY_BOOSTS,
  postEngagement,
  salience,
  SENTIMENT_MULTIPLIERS,
  type SalienceInput,
} from '../../../../../lib/harvest/score/salience.js';

const NOW = Date.parse('2026-01-31T12:00:00Z');
const HOUR = 3_600_000;

function input(overrides: Partial<SalienceInput> = {}, ageHours = 0): SalienceInput {
  return {
    source: 'x',
    engagement: {},
    publishedAt: new Date(NOW - ageHours * HOUR),
    category: 'other',
    sentiment: 'neutral',
    urgency: 0,
    ...overrides,
  };
}

describe('salience: the formula, by hand', () => {
  it('scores an X post: raw = likes + 3·reposts + 2·replies + 2.5·quotes', () => {
    // Prepare: raw = 10 + 3·2 + 2·3 + 2.5·1 = 24.5; 10·ln(25.5) = 32.3868
    // (1 + 32.3868 + 4·1) · question 1.0 · neutral 0.9 = 33.648, fresh
    const post = input({ engagement: { likes: 10, reposts: 2, replies: 3, quotes: 1 }, category: 'question', urgency: 1 });

    // Act
    const { score, components } = salience(post, NOW);

    // Assess
    expect(score).toBeCloseTo(33.648, 3);
    expect(components).toMatchObject({ raw: 24.5, engagementPoints: 32.387, urgencyPoints: 4, basePoints: 1, categoryBoost: 1, sentimentMultiplier: 0.9, decay: 1 });
  });

  it('scores a day-old HN story: points are likes, comments are replies', () => {
    // Prepare: raw = 99 + 2·0 = 99; 10·ln(100) = 46.0517
    // (1 + 46.0517 + 4·2) · bug 1.3 · negative 1.2 = 85.8807; × 0.5 after 24 h = 42.940
    const story = input({ source: 'hackernews', engagement: { points: 99, comments: 0 }, category: 'bug', sentiment: 'negative', urgency: 2 }, 24);

    // Act
    const { score, components } = salience(story, NOW);

    // Assess
    expect(score).toBeCloseTo(42.94, 3);
    expect(components).toMatchObject({ likes: 99, replies: 0, ageHours: 24, decay: 0.5, undecayed: 85.881 });
  });

  it('scores a two-day-old Reddit post: a negative score counts 0, comments are replies', () => {
    // Prepare: raw = 0 + 2·4 = 8; 10·ln(9) = 21.9722; (1 + 21.9722) · praise 0.8 · positive 1.0 = 18.3778; ÷ 4 = 4.594
    const post = input({ source: 'reddit', engagement: { score: -5, comments: 4, upvote_ratio: 0.4 }, category: 'praise', sentiment: 'positive' }, 48);

    // Act
    const { score } = salience(post, NOW);

    // Assess
    expect(score).toBeCloseTo(4.594, 3);
  });
});

describe('salience: shape', () => {
  it('halves the whole score every 24 hours', () => {
    // Prepare
    const post = input({ engagement: { likes: 50 }, category: 'bug' });

    // Act
    const fresh = salience(post, NOW).score;
    const dayOld = salience(post, NOW + 24 * HOUR).score;
    const twoDaysOld = salience(post, NOW + 48 * HOUR).score;

    // Assess
    expect(fresh).toBeLessThan(100);
    expect(dayOld).toBeCloseTo(fresh / 2, 2);
    expect(twoDaysOld).toBeCloseTo(fresh / 4, 2);
  });

  it('treats a date in the future as published now', () => {
    // Act & Assess
    expect(salience(input({ engagement: { likes: 5 } }, -5), NOW).score).toBe(salience(input({ engagement: { likes: 5 } }), NOW).score);
  });

  it('clamps to 100 and reaches both ends of the range', () => {
    // Act
    const top = salience(input({ engagement: { likes: 1000 }, category: 'outage', sentiment: 'negative', urgency: 5 }), NOW);
    const bottom = salience(input({ engagement: { likes: 1000 }, category: 'outage', sentiment: 'negative', urgency: 5 }, 24 * 10), NOW);

    // Assess
    expect(top.score).toBe(100);
    expect(top.components.undecayed).toBeGreaterThan(100);
    expect(bottom.score).toBeLessThanOrEqual(1);
    expect(bottom.score).toBeGreaterThanOrEqual(0);
  });

  it('grows with every kind of engagement and with urgency, and shrinks with age', () => {
    // Prepare
    const engagement = { likes: 10, reposts: 10, replies: 10, quotes: 10 };
    const score = (overrides: Partial<SalienceInput>, ageHours = 0): number =>
      salience(input({ engagement, urgency: 1, ...overrides }, ageHours), NOW).score;
    const reference = score({});

    // Act & Assess
    for (const field of ['likes', 'reposts', 'replies', 'quotes']) {
      expect(score({ engagement: { ...engagement, [field]: 11 } })).toBeGreaterThan(reference);
    }
    expect(score({ urgency: 2 })).toBeGreaterThan(reference);
    expect(score({}, 1)).toBeLessThan(reference);
  });

  it('weighs a repost more than a reply more than a like, and a quote between', () => {
    // Act
    const one = (field: string): number => salience(input({ engagement: { [field]: 1 } }), NOW).score;

    // Assess
    expect(one('reposts')).toBeGreaterThan(one('quotes'));
    expect(one('quotes')).toBeGreaterThan(one('replies'));
    expect(one('replies')).toBeGreaterThan(one('likes'));
  });

  it('ranks categories and sentiments by the ancestor’s multipliers', () => {
    // Prepare
    const score = (overrides: Partial<SalienceInput>): number => salience(input({ engagement: { likes: 20 }, ...overrides }), NOW).score;

    // Act & Assess
    expect(CATEGORY_BOOSTS).toEqual({ outage: 2, security: 1.8, bug: 1.3, question: 1, praise: 0.8, other: 1 });
    expect(SENTIMENT_MULTIPLIERS).toEqual({ negative: 1.2, positive: 1, mixed: 1, neutral: 0.9 });
    expect(score({ category: 'outage' })).toBeGreaterThan(score({ category: 'security' }));
    expect(score({ category: 'security' })).toBeGreaterThan(score({ category: 'bug' }));
    expect(score({ category: 'bug' })).toBeGreaterThan(score({ category: 'question' }));
    expect(score({ category: 'praise' })).toBeLessThan(score({ category: 'other' }));
    expect(score({ category: 'an artifact category' })).toBe(score({ category: 'other' }));
    expect(score({ sentiment: 'negative' })).toBeGreaterThan(score({ sentiment: 'positive' }));
    expect(score({ sentiment: 'positive' })).toBeGreaterThan(score({ sentiment: 'neutral' }));
  });

  it('clamps urgency to 0–5 and ignores counts that are not finite', () => {
    // Act & Assess
    expect(salience(input({ urgency: 9 }), NOW).components.urgencyPoints).toBe(20);
    expect(salience(input({ urgency: -3 }), NOW).components.urgencyPoints).toBe(0);
    expect(salience(input({ engagement: { likes: Number.NaN, reposts: Number.POSITIVE_INFINITY } }), NOW).components.raw).toBe(0);
  });
});

describe('postEngagement', () => {
  it.each([
    ['x', { likes: 1, reposts: 2, replies: 3, quotes: 4 }, { likes: 1, reposts: 2, replies: 3, quotes: 4 }],
    ['hackernews', { points: 7, comments: 3 }, { likes: 7, reposts: 0, replies: 3, quotes: 0 }],
    ['reddit', { score: 12, comments: 5, upvote_ratio: 0.9 }, { likes: 12, reposts: 0, replies: 5, quotes: 0 }],
    ['github', { stars: 100 }, { likes: 0, reposts: 0, replies: 0, quotes: 0 }],
    ['bluesky', { likes: 9 }, { likes: 0, reposts: 0, replies: 0, quotes: 0 }],
  ])('maps %s engagement', (source, engagement, expected) => {
    // Act & Assess
    expect(postEngagement(source, engagement)).toEqual(expected);
  });
});
