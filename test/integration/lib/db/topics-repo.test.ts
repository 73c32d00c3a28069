// The topics repository's reads for the API on both drivers: one topic, trending topics, stats
// with a zero-filled timeline, and keyset pages of events.
import { beforeAll, expect, it } from 'vitest';
import { assignSignalTopics, createEmergentTopic, recordTopicEvents } from '../../../../lib/db/topics-evolution-repo.js';
import { daysOf, getTopic, listTopicEvents, mergedInto, topicStats, trendingTopics } from '../../../../lib/db/topics-repo.js';
import type { Db } from '../../../../lib/db/types.js';
import { InvalidCursorError } from '../../../../lib/model/errors.js';
import type { TopicEvent } from '../../../../lib/model/topic.js';
import { textVector } from '../../../../lib/harvest/topics/vectors.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { DAY, insertSignals, SINCE, UNTIL } from '../../../support/topic-signals.js';

describeOnDrivers('the topics repository on $driver', ({ open }) => {
  let db: Db;
  beforeAll(async () => { ({ db } = await open()); });

  it('pages through events newest first with a cursor, filters by kind, and refuses a forged cursor', async () => {
    // Arrange: 7 days × 2 kinds
    const { topic } = await createEmergentTopic(db, { path: 'emergent/paging', name: 'paging', keywords: ['paging'], centroid: textVector('paging') });
    const days = daysOf({ since: new Date('2026-02-01T00:00:00Z'), until: new Date('2026-02-08T00:00:00Z') });
    await recordTopicEvents(db, days.flatMap((occurredOn) => (['growth', 'split'] as const).map((kind) => ({ topicId: topic.id, kind, occurredOn, details: {} }))));

    // Act
    const seen: TopicEvent[] = [];
    let after: { occurredOn: string; id: string } | undefined;
    do {
      const page = await listTopicEvents(db, topic.id, { limit: 3, after });
      seen.push(...page.items);
      after = page.next;
    } while (after !== undefined);

    // Assess
    expect(seen).toHaveLength(14);
    expect(new Set(seen.map((event) => event.id)).size).toBe(14);
    expect(seen.map((event) => event.occurredOn)).toEqual([...seen.map((event) => event.occurredOn)].sort().reverse());
    expect((await listTopicEvents(db, topic.id, { limit: 100, kind: 'split' })).items).toHaveLength(7);
    await expect(listTopicEvents(db, topic.id, { limit: 3, after: { occurredOn: '2026-02-30', id: '1' } })).rejects.toThrow(InvalidCursorError);
    expect(await listTopicEvents(db, 'nope', { limit: 3 })).toEqual({ items: [], next: undefined });
  });

  it('ranks trending topics by growth rate with counts per half and their best signals', async () => {
    // Arrange: `rising` has 1 earlier and 4 recent members, `steady` 2 and 2, `gone` only earlier ones.
    const window = { since: SINCE, until: UNTIL };
    const rising = await insertSignals(db, 'rising', [
      { daysAgo: 8 },
      { daysAgo: 1, score: 90, title: 'best' },
      { daysAgo: 2, score: 70 },
      { daysAgo: 3, score: 80 },
      { daysAgo: 4, score: 10 },
      { daysAgo: 2, score: 100, archived: true },
    ]);
    const steady = await insertSignals(db, 'steady', [{ daysAgo: 9 }, { daysAgo: 7 }, { daysAgo: 1 }, { daysAgo: 2 }]);
    const gone = await insertSignals(db, 'gone', [{ daysAgo: 9 }, { daysAgo: 8 }]);
    const topics = await Promise.all(
      (['rising', 'steady', 'gone'] as const).map((name) => createEmergentTopic(db, { path: `emergent/trend-${name}`, name, keywords: [name], centroid: textVector(name) })),
    );
    const [risingTopic, steadyTopic, goneTopic] = topics.map(({ topic }) => topic.id);
    await assignSignalTopics(db, [
      ...rising.map((signalId) => ({ signalId, topicId: risingTopic ?? '', weight: 1 })),
      ...steady.map((signalId) => ({ signalId, topicId: steadyTopic ?? '', weight: 1 })),
      ...gone.map((signalId) => ({ signalId, topicId: goneTopic ?? '', weight: 1 })),
    ]);

    // Act
    const trending = (await trendingTopics(db, { ...window, limit: 50, topSignals: 2 })).filter((topic) => topic.path.startsWith('emergent/trend-'));

    // Assess
    expect(trending.map((topic) => [topic.path, topic.earlier, topic.recent, topic.growthRate])).toEqual([
      ['emergent/trend-rising', 1, 4, 3],
      ['emergent/trend-steady', 2, 2, 0],
    ]);
    expect(trending[0]?.topSignals).toEqual([
      { id: rising[1], title: 'best', url: expect.any(String) as string, score: 90, publishedAt: new Date(UNTIL.getTime() - DAY).toISOString() },
      expect.objectContaining({ id: rising[3], score: 80 }),
    ]);
  });

  it('gives a topic’s counts and a timeline with every day of the window, zeros included', async () => {
    // Arrange
    const ids = await insertSignals(db, 'stats', [{ daysAgo: 30 }, { daysAgo: 9.5 }, { daysAgo: 0.5 }, { daysAgo: 0.25 }, { daysAgo: 0.1, archived: true }]);
    const { topic } = await createEmergentTopic(db, { path: 'emergent/stats', name: 'stats', keywords: ['stats'], centroid: textVector('stats') });
    await assignSignalTopics(db, ids.map((signalId) => ({ signalId, topicId: topic.id, weight: 1 })));

    // Act
    const stats = await topicStats(db, topic.id, { since: SINCE, until: UNTIL });

    // Assess
    expect(stats).toMatchObject({ total: 4, inWindow: 3, earlier: 1, recent: 2, growthRate: 1 });
    expect(stats.firstSeen).toEqual(new Date(UNTIL.getTime() - 30 * DAY));
    expect(stats.lastSeen).toEqual(new Date(UNTIL.getTime() - 0.25 * DAY));
    expect(stats.timeline).toHaveLength(10);
    expect(stats.timeline[0]).toEqual({ day: '2026-02-19', count: 1 });
    expect(stats.timeline[9]).toEqual({ day: '2026-02-28', count: 2 });
    expect(stats.timeline.slice(1, 9).every((entry) => entry.count === 0)).toBe(true);
  });

  it('treats a malformed topic id as not found', async () => {
    expect(await getTopic(db, '1 OR 1=1')).toBeUndefined();
    expect(await getTopic(db, '999999999')).toBeUndefined();
    expect(await mergedInto(db, 'x')).toEqual([]);
  });
});
