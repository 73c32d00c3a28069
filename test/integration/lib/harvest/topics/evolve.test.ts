// The daily topic job on real Postgres (through the Neon driver) and on PGlite, over a corpus with
// a known story: vulnerabilities tripled (growth), a sourdough cluster nobody configured appeared
// (emerge), a Go topic drifted into talking about tokio like the tokio topic (merge), and a topic
// mixes jazz with quantum computing (split). Run twice the same day, the second run adds nothing.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { upsertSignals } from '../../../../../lib/db/signals-upsert.js';
import { sql } from '../../../../../lib/db/sql.js';
import { assignSignalTopics, createEmergentTopic, getTopic, listTopicEvents } from '../../../../../lib/db/topics-repo.js';
import type { Topic } from '../../../../../lib/model/topic.js';
import type { Db } from '../../../../../lib/db/types.js';
import { evolutionWindow, evolveTopics, type EvolveResult } from '../../../../../lib/harvest/topics/evolve.js';
import { createVectorCache } from '../../../../../lib/harvest/topics/vector-cache.js';
import { centroid, textVector } from '../../../../../lib/harvest/topics/vectors.js';
import { closeDatabases, DRIVERS, type TestDatabase } from '../../../../support/databases.js';
import { testJobContext } from '../../../../support/job-context.js';
import { makeSignal } from '../../../../support/signal-factory.js';

const DAY = 86_400_000;
const NOW = new Date('2026-03-01T03:00:00Z');
const WINDOW_DAYS = 30;
const END = new Date('2026-03-01T00:00:00Z');
/** Days before the window's end: earlier half ≥ 15, recent half < 15. */
const EARLY = 25;
const RECENT = 3;

const PRODUCTS = ['nginx', 'openssh', 'exim', 'sudo', 'curl', 'samba', 'apache', 'bind', 'dovecot', 'postfix', 'polkit', 'glibc'];
const TOKIO = ['Tokio runtime executor internals', 'How the tokio executor schedules tasks', 'Tokio executor work stealing explained', 'Inside the tokio runtime executor', 'Tokio executor and cooperative budgeting', 'Tuning the tokio runtime executor'];
const GOROUTINE = ['Goroutine scheduler preemption internals', 'How the goroutine scheduler steals work'];
const SOURDOUGH = ['Sourdough starter fermentation at home', 'Feeding a sourdough starter: fermentation notes', 'Sourdough starter fermentation and hydration', 'Why my sourdough starter fermentation stalled'];
const JAZZ = ['Jazz piano chord voicings for beginners', 'Drop two jazz piano chord voicings', 'Jazz piano chord voicings in ballads', 'Rootless jazz piano chord voicings'];
const QUANTUM = ['Quantum error correction with surface codes', 'Surface code quantum error correction milestone', 'Quantum error correction below threshold with surface codes', 'Quantum error correction explained: surface codes'];
const NOISE = ['Cycling across the Alps in winter', 'A history of the bicycle bell', 'Notes from a birdwatching weekend'];

const opened: TestDatabase[] = [];

afterAll(async () => {
  await Promise.all(opened.map((database) => database.dispose()));
  await closeDatabases();
});

interface Spec {
  title: string;
  daysAgo: number;
}

let sequence = 0;

/** Stores signals and returns their ids, in order. */
async function insert(db: Db, specs: readonly Spec[]): Promise<string[]> {
  const rows = specs.map((spec) => {
    sequence++;
    return makeSignal(
      { source: 'evolve', sourceId: `s-${String(sequence)}`, title: spec.title, text: '', tags: [], publishedAt: new Date(END.getTime() - spec.daysAgo * DAY), status: 'active' },
      sequence,
    );
  });
  await upsertSignals(db, rows);
  const found = await db.query<{ id: string; sourceId: string }>(sql`
    SELECT id::text AS id, source_id AS "sourceId" FROM signals WHERE source_id = ANY(${rows.map((row) => row.sourceId)}::text[])`);
  const ids = new Map(found.map((row) => [row.sourceId, row.id]));
  return rows.map((row) => ids.get(row.sourceId) ?? '');
}

const at = (titles: readonly string[], daysAgo: number): Spec[] => titles.map((title) => ({ title, daysAgo }));

/** An emergent topic made by hand, with these members. */
async function emergentTopic(db: Db, path: string, titles: readonly string[], members: readonly string[]): Promise<Topic> {
  const { topic } = await createEmergentTopic(db, { path, name: path, keywords: path.split('/')[1]?.split('-') ?? [], centroid: centroid(titles.map(textVector)) });
  await assignSignalTopics(db, members.map((signalId) => ({ signalId, topicId: topic.id, weight: 1 })));
  return topic;
}

async function counts(db: Db): Promise<{ topics: number; assignments: number; events: number }> {
  const [row] = await db.query<{ topics: number; assignments: number; events: number }>(sql`
    SELECT (SELECT count(*)::int FROM topics) AS topics, (SELECT count(*)::int FROM signal_topics) AS assignments,
           (SELECT count(*)::int FROM topic_events) AS events`);
  return row ?? { topics: 0, assignments: 0, events: 0 };
}

describe.each(DRIVERS)('evolveTopics on $driver', ({ create }) => {
  let db: Db;
  let tokio: Topic;
  let goroutine: Topic;
  let mixed: Topic;
  let first: EvolveResult;
  const vectors = createVectorCache({ redis: null });

  beforeAll(async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const database = await create();
    opened.push(database);
    db = database.db;

    // Arrange: vulnerabilities (taxonomy) 3 → 9, the sourdough cluster, noise, and three hand-made topics.
    await insert(db, [
      ...PRODUCTS.slice(0, 3).map((product) => ({ title: `CVE-2026-01${product.length}: remote code execution in ${product}`, daysAgo: EARLY })),
      ...PRODUCTS.slice(3).map((product) => ({ title: `CVE-2026-02${product.length}: remote code execution in ${product}`, daysAgo: RECENT })),
      ...at(SOURDOUGH, RECENT),
      ...at(NOISE, RECENT),
    ]);
    const tokioIds = await insert(db, [...at(TOKIO, EARLY), ...at(TOKIO.slice(0, 5), RECENT)]);
    const goroutineIds = await insert(db, [...at(GOROUTINE, EARLY), ...at(TOKIO.slice(1, 5), RECENT)]);
    const mixedIds = await insert(db, [...at(JAZZ, RECENT), ...at(QUANTUM, RECENT + 1)]);
    tokio = await emergentTopic(db, 'emergent/executor-tokio', TOKIO, tokioIds);
    goroutine = await emergentTopic(db, 'emergent/goroutine-scheduler', GOROUTINE, goroutineIds);
    mixed = await emergentTopic(db, 'emergent/chord-quantum', [...JAZZ, ...QUANTUM], mixedIds);

    // Act
    first = await evolveTopics(db, { now: NOW, windowDays: WINDOW_DAYS, vectors });
  }, 60_000);

  it('looks at the complete days before its run day and dates events on that day', () => {
    expect(evolutionWindow(NOW, WINDOW_DAYS)).toEqual({ day: '2026-03-01', since: new Date('2026-01-30T00:00:00Z'), until: END });
    expect(first).toMatchObject({ day: '2026-03-01', window: { since: '2026-01-30T00:00:00.000Z', until: '2026-03-01T00:00:00.000Z' } });
    expect(first.signals).toBe(12 + 4 + 3 + 11 + 6 + 8);
    expect(first.stoppedBefore).toBeUndefined();
  });

  it('assigns new signals to taxonomy topics and reports the tripled one as growth', async () => {
    const [vulnerabilities] = await db.query<{ id: string }>(sql`SELECT id::text AS id FROM topics WHERE path = 'security/vulnerabilities'`);
    const events = await listTopicEvents(db, vulnerabilities?.id ?? '', { limit: 10 });
    expect(events.items.map((event) => [event.kind, event.occurredOn, event.details.earlier, event.details.recent])).toEqual([['growth', '2026-03-01', 3, 9]]);
  });

  it('forms an emergent topic from the unclaimed sourdough signals and reports it as emerge', async () => {
    // Assess
    const [sourdough] = await db.query<{ id: string; path: string; keywords: string[]; members: number }>(sql`
      SELECT t.id::text AS id, t.path, t.keywords, (SELECT count(*)::int FROM signal_topics st WHERE st.topic_id = t.id) AS members
      FROM topics t WHERE t.kind = 'emergent' AND t.path LIKE '%sourdough%'`);
    expect(sourdough).toMatchObject({ path: 'emergent/fermentation-sourdough', members: 4 });
    expect(sourdough?.keywords).toEqual(expect.arrayContaining(['sourdough', 'starter', 'fermentation']));
    const events = await listTopicEvents(db, sourdough?.id ?? '', { limit: 10 });
    expect(events.items.map((event) => [event.kind, event.details])).toEqual([['emerge', { path: 'emergent/fermentation-sourdough', members: 4 }]]);
    expect(first.topicsCreated).toBe(1);
  });

  it('merges the topic that converged into the larger one: one event, status merged, members moved', async () => {
    expect(first.merged).toBe(1);
    expect(await getTopic(db, goroutine.id)).toMatchObject({ status: 'merged', mergedInto: tokio.id });
    const events = await listTopicEvents(db, goroutine.id, { limit: 10 });
    expect(events.items).toHaveLength(1);
    expect(events.items[0]).toMatchObject({
      kind: 'merge',
      details: { from: { id: goroutine.id, path: goroutine.path }, into: { id: tokio.id, path: tokio.path }, members: 6 },
    });
    const [members] = await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM signal_topics WHERE topic_id = ${tokio.id}::bigint`);
    expect(members?.n).toBe(11 + 6);
    expect((await listTopicEvents(db, tokio.id, { limit: 10 })).items).toEqual([]);
  });

  it('reports the topic mixing two subjects as a split into its two groups', async () => {
    const events = await listTopicEvents(db, mixed.id, { limit: 10, kind: 'split' });
    expect(events.items).toHaveLength(1);
    const groups = events.items[0]?.details.groups as Array<{ size: number; keywords: string[] }>;
    expect(groups.map((group) => group.size)).toEqual([4, 4]);
    const jazz = groups.find((group) => group.keywords.includes('jazz'));
    const quantum = groups.find((group) => group.keywords.includes('quantum'));
    expect(jazz?.keywords).toEqual(expect.arrayContaining(['chord', 'piano']));
    expect(quantum?.keywords).toEqual(expect.arrayContaining(['error', 'correction', 'surface']));
    expect(jazz).not.toBe(quantum);
  });

  it('counts what it recorded, by kind', () => {
    expect(first.events).toEqual({ emerge: 1, growth: 2, decline: 0, merge: 1, split: 1 });
    // One vector per distinct text: the tokio titles repeat.
    expect(first.vectorCache).toEqual({ hits: 0, misses: first.signals - 9 });
  });

  it('adds nothing when run again the same day, even later on with new signals harvested', async () => {
    // Arrange
    const before = await counts(db);
    await insert(db, at(SOURDOUGH, -0.1)); // published today, after the window's end

    // Act
    const again = await evolveTopics(db, { now: new Date(NOW.getTime() + 5 * 3_600_000), windowDays: WINDOW_DAYS, vectors });

    // Assess
    expect(again).toMatchObject({ assigned: 0, topicsCreated: 0, merged: 0, events: { emerge: 0, growth: 0, decline: 0, merge: 0, split: 0 } });
    expect(again.vectorCache).toEqual({ hits: first.vectorCache.misses, misses: 0 });
    expect(await counts(db)).toEqual(before);
  });

  it('stops between stages when asked, saying where', async () => {
    const stopped = await evolveTopics(db, { now: NOW, windowDays: WINDOW_DAYS, vectors, run: testJobContext({ job: 'evolve-topics', shouldStop: () => true }) });
    expect(stopped.stoppedBefore).toBe('assign');
    expect(stopped.assigned).toBe(0);
  });
});
