import { describe, expect, it } from 'vitest';
import { attentionOf, DISCOVERY_WEIGHTS, discoveryScore, type DiscoveryInput } from '../../../../../lib/harvest/score/discovery.js';

const NOW = Date.parse('2026-01-31T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function repository(stars: number, ageMs: number, overrides: Partial<DiscoveryInput> = {}): DiscoveryInput {
  return { source: 'github', kind: 'repository', engagement: { stars, forks: 3 }, publishedAt: new Date(NOW - ageMs), tags: ['llm'], ...overrides };
}

function preprint(ageMs: number, overrides: Partial<DiscoveryInput> = {}): DiscoveryInput {
  return { source: 'arxiv', kind: 'preprint', engagement: {}, publishedAt: new Date(NOW - ageMs), tags: ['cs.lg'], ...overrides };
}

describe('discoveryScore: the formula, by hand', () => {
  it('scores a week-old repository with 1,010 stars', () => {
    // Prepare: novelty = 100·0.5^(7/7) = 50
    // velocity = (1010 − 10) / 7 = 142.857 a day; emergence = 100·(1 − 0.5^(142.857/25)) = 98.095
    // obscurity = 100·1000 / (1000 + 1010) = 49.751; base = 0.6·98.095 + 0.4·49.751 = 78.758
    // score = 78.758·50/100 = 39.379

    // Act
    const { score, components } = discoveryScore(repository(1010, 7 * DAY), NOW);

    // Assess
    expect(components).toEqual({ novelty: 50, emergence: 98.095, obscurity: 49.751, base: 78.758, ageDays: 7, attention: 1010, velocity: 142.857 });
    expect(score).toBeCloseTo(39.379, 3);
  });

  it('scores a day-old preprint from its mentions and cross-listings', () => {
    // Prepare: attention = 25·2 mentions + 5·1 cross-listing = 55; velocity = (55 − 10) / 1 = 45 a day
    // novelty = 100·0.5^(1/7) = 90.572; emergence = 100·(1 − 0.5^(45/25)) = 71.283
    // obscurity: arXiv reports no popularity, so unknown = 50 (not 100·1000/1055)
    // base = 0.6·71.283 + 0.4·50 = 62.770; score = 62.770·90.572/100 = 56.852

    // Act
    const { score, components } = discoveryScore(preprint(DAY, { tags: ['cs.lg', 'cs.ai'], mentions: 2 }), NOW);

    // Assess
    expect(components).toMatchObject({ novelty: 90.572, emergence: 71.283, obscurity: 50, base: 62.77, attention: 55, velocity: 45 });
    expect(score).toBeCloseTo(56.852, 3);
  });
});

describe('discoveryScore: shape', () => {
  it('has weights that sum to 1, so a perfect artifact scores 100', () => {
    // Act & Assess
    expect(DISCOVERY_WEIGHTS.emergence + DISCOVERY_WEIGHTS.obscurity).toBeCloseTo(1, 12);
  });

  it('reaches both ends of the range', () => {
    // Act: published this moment with 20 stars; a year-old repository with 50,000
    const top = discoveryScore(repository(20, 0), NOW);
    const bottom = discoveryScore(repository(50_000, 365 * DAY), NOW);

    // Assess
    expect(top.score).toBeGreaterThanOrEqual(99);
    expect(top.score).toBeLessThanOrEqual(100);
    expect(bottom.score).toBeLessThanOrEqual(1);
    expect(bottom.score).toBeGreaterThanOrEqual(0);
  });

  it('gives a new, fast-emerging, obscure artifact at least 90 and a stale popular one little', () => {
    // Act: 80 stars in its first 3 hours; 5,000 stars over two years
    const find = discoveryScore(repository(80, 3 * HOUR), NOW);
    const stale = discoveryScore(repository(5000, 730 * DAY), NOW);

    // Assess
    expect(find.score).toBeGreaterThanOrEqual(90);
    expect(stale.score).toBeLessThan(10);
  });

  it('does not reward the first few stars (the author, friends, bots)', () => {
    // Act
    const { components } = discoveryScore(repository(8, HOUR), NOW);

    // Assess
    expect(components.velocity).toBe(0);
    expect(components.emergence).toBe(0);
  });

  it('halves novelty every 7 days', () => {
    // Act
    const novelty = (days: number): number => discoveryScore(repository(0, days * DAY), NOW).components.novelty;

    // Assess
    expect(novelty(0)).toBe(100);
    expect(novelty(7)).toBeCloseTo(50, 3);
    expect(novelty(14)).toBeCloseTo(25, 3);
  });

  it('falls with age for the same attention', () => {
    // Act
    const scores = [0, HOUR, 6 * HOUR, DAY, 3 * DAY, 10 * DAY, 60 * DAY].map((age) => discoveryScore(repository(300, age), NOW).score);

    // Assess
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeLessThan(scores[i - 1] ?? Number.NaN);
  });

  it('trades emergence for obscurity as attention grows', () => {
    // Act
    const components = [15, 40, 100, 1000].map((stars) => discoveryScore(repository(stars, 10 * DAY), NOW).components);

    // Assess
    for (let i = 1; i < components.length; i++) {
      expect(components[i]?.emergence).toBeGreaterThan(components[i - 1]?.emergence ?? Number.NaN);
      expect(components[i]?.obscurity).toBeLessThan(components[i - 1]?.obscurity ?? Number.NaN);
    }
  });

  it('treats a date in the future as published now and never leaves 0–100', () => {
    // Act
    const future = discoveryScore(repository(50, -DAY), NOW);
    const odd = discoveryScore(repository(Number.NaN, 0, { mentions: -3 }), NOW);

    // Assess
    expect(future.components.ageDays).toBe(0);
    expect(future.score).toBeLessThanOrEqual(100);
    expect(odd.components.attention).toBe(0);
    expect(odd.score).toBeGreaterThanOrEqual(0);
  });
});

describe('attentionOf', () => {
  it.each([
    ['github stars', { source: 'github', kind: 'repository', engagement: { stars: 40, forks: 9 }, tags: ['a', 'b'] }, 40],
    ['github release stars', { source: 'github', kind: 'release', engagement: { stars: 7 }, tags: [] }, 7],
    ['arXiv cross-listings', { source: 'arxiv', kind: 'preprint', engagement: {}, tags: ['cs.lg', 'cs.ai', 'stat.ml'] }, 10],
    ['mentions', { source: 'arxiv', kind: 'preprint', engagement: {}, tags: ['cs.lg'], mentions: 3 }, 75],
    ['an unknown source', { source: 'zenodo', kind: 'preprint', engagement: { stars: 10 }, tags: [] }, 0],
  ] as const)('counts %s', (_case, input, expected) => {
    // Act & Assess
    expect(attentionOf(input)).toBe(expected);
  });
});
