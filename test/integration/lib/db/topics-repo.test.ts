// The topics repository on both drivers: idempotent writes (taxonomy, emergent topics, signal
// assignments, events), a centroid that round-trips exactly, merges, and the API's reads — trending,
// stats with a zero-filled timeline, and keyset pages of events.
import { beforeAll, expect, it } from 'vitest';
import { upsertSignals } from '../../../../lib/db/signals-upsert.js';
import { sql } from '../../../../lib/db/sql.js';
import {
  assignSignalTopics,
  createEmergentTopic,
  daysOf,
  getTopic,
  listActiveTopics,
  listTopicEvents,
  mergedInto,
  mergeTopics,
  recordTopicEvents,
  topicMembers,
  topicStats,
  trendingTopics,
  upsertTaxonomyTopics,
  windowSignals,
} from '../../../../lib/db/topics-repo.js';
import type { Db } from '../../../../lib/db/types.js';
import { InvalidCursorError } from '../../../../lib/model/errors.js';
import type { TopicEvent } from '../../../../lib/model/topic.js';
import { textVector } from '../../../../lib/harvest/topics/vectors.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { makeSignal } from '../../../support/signal-factory.js';

const DAY = 86_400_000;
const UNTIL = new Date('2026-03-01T00:00:00Z');
const SINCE = new Date(UNTIL.getTime() - 10 * DAY);

/** Stores signals published `daysAgo` before UNTIL (fractions allowed) and returns their ids in order. */
async function insertSignals(db: Db, prefix: string, specs: ReadonlyArray<{ daysAgo: number; title?: string; score?: number; archived?: boolean }>): Promise<string[]> {
  const rows = specs.map((spec, i) =>
    makeSignal(
      {
        source: 'topics',
        sourceId: `${prefix}-${String(i)}`,
        title: spec.title ?? `${prefix} signal ${String(i)}`,
        publishedAt: new Date(UNTIL.getTime() - spec.daysAgo * DAY),
        salience: spec.score ?? 50,
        discoveryScore: null,
        status: spec.archived === true ? 'archived' : 'active',
      },
      i,
    ),
  );
  await upsertSignals(db, rows);
  const found = await db.query<{ id: string; sourceId: string }>(sql`
    SELECT id::text AS id, source_id AS "sourceId" FROM signals WHERE source = 'topics' AND source_id LIKE ${`${prefix}-%`}`);
  const byKey = new Map(found.map((row) => [row.sourceId, row.id]));
  return rows.map((row) => byKey.get(row.sourceId) ?? '');
}

describeOnDrivers('the topics repository on $driver', ({ open }) => {
  let db: Db;
  beforeAll(async () => { ({ db } = await open()); });

  it('creates taxonomy topics once and updates only those whose name or keywords changed', async () => {
    // Arrange
    const taxonomy = [
      { path: 'x/one', name: 'One', keywords: ['alpha', 'beta'] },
      { path: 'x/two', name: 'Two', keywords: ['gamma'] },
    ];

    // Act
    const created = await upsertTaxonomyTopics(db, taxonomy);
    const again = await upsertTaxonomyTopics(db, taxonomy);
    const renamed = await upsertTaxonomyTopics(db, [{ ...taxonomy[0], name: 'One!' } as (typeof taxonomy)[number], taxonomy[1] as (typeof taxonomy)[number]]);

    // Assess
    expect([created, again, renamed]).toEqual([2, 0, 1]);
    const active = await listActiveTopics(db);
    expect(active.find((topic) => topic.path === 'x/one')).toMatchObject({ name: 'One!', kind: 'taxonomy', keywords: ['alpha', 'beta'], status: 'active', centroid: null });
  });

  it('creates an emergent topic once, keeping its centroid exactly, and finds it the second time', async () => {
    // Arrange
    const centroid = textVector('rust borrow checker lifetimes');

    // Act
    const first = await createEmergentTopic(db, { path: 'emergent/borrow-checker', name: 'borrow, checker', keywords: ['borrow', 'checker'], centroid });
    const second = await createEmergentTopic(db, { path: 'emergent/borrow-checker', name: 'other', keywords: ['x'], centroid: textVector('other') });

    // Assess
    expect(first.created).toBe(true);
    expect(second).toEqual({ topic: first.topic, created: false });
    const stored = (await listActiveTopics(db)).find((topic) => topic.id === first.topic.id);
    expect(stored?.centroid).toEqual(centroid);
    expect(stored).toMatchObject({ kind: 'emergent', keywords: ['borrow', 'checker'], mergedInto: null });
  });

  it('assigns signals in bulk once, reads the window with each signal’s active topics, and lists members', async () => {
    // Arrange
    const ids = await insertSignals(db, 'assign', [{ daysAgo: 1 }, { daysAgo: 2 }, { daysAgo: 12 }, { daysAgo: 3, archived: true }]);
    const { topic } = await createEmergentTopic(db, { path: 'emergent/assign', name: 'assign', keywords: ['assign'], centroid: textVector('assign') });
    const rows = ids.map((signalId, i) => ({ signalId, topicId: topic.id, weight: 0.5 + i / 10 }));

    // Act
    const added = await assignSignalTopics(db, rows);
    const again = await assignSignalTopics(db, [...rows, ...rows]);

    // Assess
    expect([added, again]).toEqual([4, 0]);
    const window = await windowSignals(db, { since: SINCE, until: UNTIL, limit: 100 });
    const mine = window.filter((signal) => ids.includes(signal.id));
    // Newest first; the one outside the window and the archived one are left out.
    expect(mine.map((signal) => signal.id)).toEqual([ids[0], ids[1]]);
    expect(mine[0]).toMatchObject({ topicIds: [topic.id], tags: expect.any(Array) as string[], publishedAt: new Date(UNTIL.getTime() - DAY) });
    const members = (await topicMembers(db, { since: SINCE, until: UNTIL })).filter((member) => member.topicId === topic.id);
    expect(members.map((member) => member.signalId).sort()).toEqual([ids[0], ids[1]].sort());
  });

  it('assigns thousands of rows in one statement per 5,000', async () => {
    const ids = await insertSignals(db, 'bulk', Array.from({ length: 1200 }, (_, i) => ({ daysAgo: 1 + (i % 9) })));
    const topics = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((name) => createEmergentTopic(db, { path: `emergent/bulk-${name}`, name, keywords: [name], centroid: textVector(name) })));
    const rows = topics.flatMap(({ topic }) => ids.map((signalId) => ({ signalId, topicId: topic.id, weight: 1 })));
    expect(await assignSignalTopics(db, rows)).toBe(6000);
  });

  it('records an event once per topic, kind and day', async () => {
    // Arrange
    const { topic } = await createEmergentTopic(db, { path: 'emergent/events', name: 'events', keywords: ['events'], centroid: textVector('events') });
    const event = { topicId: topic.id, kind: 'growth' as const, occurredOn: '2026-02-28', details: { rate: 1.5, note: 'quote " and \\ backslash' } };

    // Act
    const first = await recordTopicEvents(db, [event, { ...event, kind: 'emerge' }]);
    const again = await recordTopicEvents(db, [event, { ...event, details: { different: true } }]);
    const nextDay = await recordTopicEvents(db, [{ ...event, occurredOn: '2026-03-01' }]);

    // Assess
    expect([first, again, nextDay]).toEqual([2, 0, 1]);
    const { items } = await listTopicEvents(db, topic.id, { limit: 10 });
    expect(items.map((item) => [item.occurredOn, item.kind])).toEqual([['2026-03-01', 'growth'], ['2026-02-28', 'emerge'], ['2026-02-28', 'growth']]);
    expect(items[2]?.details).toEqual(event.details);
  });

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

  it('merges a topic into another once: status, merged_into, and its signals join the other', async () => {
    // Arrange
    const ids = await insertSignals(db, 'merge', [{ daysAgo: 1 }, { daysAgo: 2 }, { daysAgo: 3 }]);
    const { topic: into } = await createEmergentTopic(db, { path: 'emergent/merge-into', name: 'into', keywords: ['into'], centroid: textVector('into') });
    const { topic: absorbed } = await createEmergentTopic(db, { path: 'emergent/merge-absorbed', name: 'absorbed', keywords: ['absorbed'], centroid: textVector('absorbed') });
    await assignSignalTopics(db, [
      { signalId: ids[0] ?? '', topicId: into.id, weight: 1 },
      { signalId: ids[0] ?? '', topicId: absorbed.id, weight: 0.5 },
      { signalId: ids[1] ?? '', topicId: absorbed.id, weight: 0.5 },
      { signalId: ids[2] ?? '', topicId: absorbed.id, weight: 0.75 },
    ]);

    // Act
    const merged = await db.transaction((tx) => mergeTopics(tx, { absorbedId: absorbed.id, intoId: into.id }));
    const twice = await db.transaction((tx) => mergeTopics(tx, { absorbedId: absorbed.id, intoId: into.id }));

    // Assess
    expect([merged, twice]).toEqual([true, false]);
    expect(await getTopic(db, absorbed.id)).toMatchObject({ status: 'merged', mergedInto: into.id });
    expect(await mergedInto(db, into.id)).toEqual([{ id: absorbed.id, path: 'emergent/merge-absorbed' }]);
    const members = await db.query<{ signalId: string; weight: number }>(sql`
      SELECT signal_id::text AS "signalId", weight FROM signal_topics WHERE topic_id = ${into.id}::bigint ORDER BY signal_id`);
    expect(members).toEqual([
      { signalId: ids[0], weight: 1 },
      { signalId: ids[1], weight: 0.5 },
      { signalId: ids[2], weight: 0.75 },
    ]);
    expect((await listActiveTopics(db)).some((topic) => topic.id === absorbed.id)).toBe(false);
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
