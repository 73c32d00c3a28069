import { describe, expect, it } from 'vitest';
import {
  DISCOVERY_FORMULA,
  DISCOVERY_HALF_LIFE_DAYS,
  discoveryScore,
  FEED_HALF_LIFE_DAYS,
  rankKey,
  SALIENCE_FORMULA,
  salience,
  scoreAt,
  scoreArtifact,
  scoreItem,
  toNewSignal,
} from '../../../../../lib/harvest/score/index.js';
import type { Classification, HarvestedItem } from '../../../../../lib/harvest/types.js';

const NOW = Date.parse('2026-01-31T12:00:00Z');

const story: HarvestedItem = {
  source: 'hackernews',
  sourceId: '4242',
  kind: 'story',
  url: 'https://status.example.com/incident',
  title: 'Example Cloud is down',
  text: '',
  author: 'pg',
  publishedAt: new Date(NOW - 3_600_000),
  engagement: { points: 120, comments: 45 },
  tags: ['story'],
};

const repository: HarvestedItem = {
  source: 'github',
  sourceId: '99',
  kind: 'repository',
  url: 'https://github.com/acme/fastvec',
  title: 'acme/fastvec',
  text: 'Vector search in Rust',
  author: 'acme',
  publishedAt: new Date(NOW - 2 * 86_400_000),
  engagement: { stars: 300, forks: 10 },
  tags: ['rust'],
};

const outage: Classification = { category: 'outage', sentiment: 'negative', urgency: 4, by: 'llm' };
const release: Classification = { category: 'open_source_release', sentiment: 'neutral', urgency: 0, by: 'keyword' };

describe('scoreItem', () => {
  it('gives a post its salience, the components and the classifier in score_details', () => {
    // Act
    const fields = scoreItem(story, outage, NOW);

    // Assess
    const expected = salience({ source: 'hackernews', engagement: story.engagement, publishedAt: story.publishedAt, category: 'outage', sentiment: 'negative', urgency: 4 }, NOW);
    expect(fields).toEqual({
      salience: expected.score,
      discoveryScore: null,
      scoreDetails: { formula: SALIENCE_FORMULA, by: 'llm', components: expected.components },
      // the undecayed salience, ranked from publication: served as the salience above at NOW
      rank: rankKey(expected.components.undecayed, story.publishedAt, NOW, FEED_HALF_LIFE_DAYS),
      discoveryRank: null,
    });
    expect(scoreAt(fields.rank, NOW, FEED_HALF_LIFE_DAYS)).toBeCloseTo(expected.score, 2);
  });

  it('gives an artifact its discovery score, whatever its classification', () => {
    // Act
    const fields = scoreItem(repository, release, NOW);

    // Assess
    const expected = discoveryScore({ ...repository, mentions: undefined }, NOW);
    // feed base: 1 + 10·ln(1 + 300 stars) = 58.07, on the posts' engagement scale
    expect(fields).toMatchObject({
      salience: null,
      discoveryScore: expected.score,
      scoreDetails: { formula: DISCOVERY_FORMULA, by: 'keyword', components: expected.components, feedBase: 58.071 },
    });
    expect(scoreAt(fields.discoveryRank ?? Number.NaN, NOW, DISCOVERY_HALF_LIFE_DAYS)).toBeCloseTo(expected.score, 2);
    expect(scoreAt(fields.rank, NOW, FEED_HALF_LIFE_DAYS)).toBeCloseTo(58.071 / 4, 2); // two days old
  });

  it('counts mentions from other sources as attention, links and group kept apart', () => {
    // Act
    const alone = scoreItem(repository, release, NOW);
    const mentioned = scoreItem(repository, release, NOW, { linkMentions: 1, groupMentions: 3 });

    // Assess
    expect(alone.scoreDetails).toMatchObject({ linkMentions: 0, groupMentions: 0 });
    expect(mentioned.scoreDetails).toMatchObject({ components: { attention: 400 }, linkMentions: 1, groupMentions: 3 });
    expect(mentioned.discoveryScore).not.toBe(alone.discoveryScore);
  });

  it('scores a stored artifact like the harvested item it was (scoreArtifact)', () => {
    // Act
    const harvested = scoreItem(repository, release, NOW, { linkMentions: 2, groupMentions: 1 });
    const stored = scoreArtifact({ source: repository.source, kind: repository.kind, engagement: repository.engagement, publishedAt: repository.publishedAt, tags: repository.tags }, 'keyword', NOW, { linkMentions: 2, groupMentions: 1 });

    // Assess
    expect(stored).toEqual(harvested);
  });

  it('produces score_details that survive a JSON round trip', () => {
    // Act
    const details = scoreItem(story, outage, NOW).scoreDetails;

    // Assess
    expect(JSON.parse(JSON.stringify(details))).toEqual(details);
  });
});

describe('toNewSignal', () => {
  it('maps an item, its classification and its scores to the row to store', () => {
    // Act
    const score = scoreItem(story, outage, NOW);
    const row = toNewSignal(story, outage, score);

    // Assess
    expect(row).toEqual({
      source: 'hackernews',
      sourceId: '4242',
      kind: 'story',
      url: story.url,
      title: story.title,
      text: '',
      author: 'pg',
      publishedAt: story.publishedAt,
      engagement: story.engagement,
      category: 'outage',
      sentiment: 'negative',
      urgency: 4,
      tags: ['story'],
      salience: score.salience,
      discoveryScore: null,
      scoreDetails: score.scoreDetails,
      rank: score.rank,
      discoveryRank: null,
    });
  });

  it('keeps urgency within the column’s 0–5 integers', () => {
    // Act
    const row = toNewSignal(story, { ...outage, urgency: 7.6 }, scoreItem(story, outage, NOW));

    // Assess
    expect(row.urgency).toBe(5);
  });
});
