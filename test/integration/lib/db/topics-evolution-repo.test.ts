// What the topic evolution job reads and writes, on both drivers: idempotent writes (taxonomy,
// emergent topics, signal assignments, events), a centroid that round-trips exactly, the window
// of signals with their topics, and merges.
import { beforeAll, expect, it } from 'vitest';
import { sql } from '../../../../lib/db/sql.js';
import {
  assignSignalTopics,
  createEmergentTopic,
  listActiveTopics,
  mergeTopics,
  recordTopicEvents,
  topicMembers,
  upsertTaxonomyTopics,
  windowSignals,
} from '../../../../lib/db/topics-evolution-repo.js';
import { getTopic, listTopicEvents, mergedInto } from '../../../../lib/db/topics-repo.js';
import type { Db } from '../../../../lib/db/types.js';
import { textVector } from '../../../../lib/harvest/topics/vectors.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { DAY, insertSignals, SINCE, UNTIL } from '../../../support/topic-signals.js';

describeOnDrivers('the topic evolution repository on $driver', ({ open }) => {
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
});
