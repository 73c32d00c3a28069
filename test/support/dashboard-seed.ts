// The data a browser test of the dashboard walks through, seeded once per file: factory signals to
// page through, a featured signal at the top of the list carrying the awkward text of sources
// (`<script>`, `&`, RTL, emoji) with real score details, mentions and graph edges both ways, and a
// growing topic with a timeline over the last days and more events than fit on one page.
import { insertEdges } from '../../lib/db/signal-edges-repo.js';
import { upsertSignals } from '../../lib/db/signals-upsert.js';
import { sql } from '../../lib/db/sql.js';
import { assignSignalTopics, recordTopicEvents, upsertTaxonomyTopics } from '../../lib/db/topics-repo.js';
import type { Db } from '../../lib/db/types.js';
import { makeSignal, seedSignals } from './signal-factory.js';

const DAY = 86_400_000;

/** The featured signal's title: what a hostile or merely international source may send. */
export const FEATURED_TITLE = 'Zebrafish <script>alert(1)</script> & “quotes” 🚀 — مرحبا بالعالم';
/** The signal that discusses the featured one (an incoming edge). */
export const DISCUSSING_TITLE = 'Zebrafish thread 👩🏽‍💻 on the forum';
/** A preprint the featured one cites (an outgoing edge to a harvested signal). */
export const CITED_TITLE = 'Zebrafish regeneration preprint';
/** An identifier the featured signal cites that was not harvested yet. */
export const PENDING_IDENTIFIER = 'arxiv:2601.01234';
export const TOPIC_NAME = 'Regeneration <b>biology</b> & زرد 🐟';
/** Events of the topic: more than the page's 20, so they page. */
export const TOPIC_EVENTS = 25;

export interface DashboardSeed {
  featuredId: string;
  topicId: string;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export async function seedDashboard(db: Db, count: number): Promise<DashboardSeed> {
  await seedSignals(db, count);
  const now = Date.now();
  const recent = new Date(now - 3_600_000);
  await upsertSignals(db, [
    makeSignal(
      {
        source: 'hackernews',
        kind: 'post',
        sourceId: 'featured',
        title: FEATURED_TITLE,
        url: 'https://example.com/zebrafish?a=1&b=2',
        text: 'Body <img src=x onerror=alert(3)> & more — نص عربي 🧪',
        // Above every factory signal (their salience is at most 100, discovery null for posts).
        salience: 100,
        discoveryScore: null,
        publishedAt: recent,
        scoreDetails: {
          formula: 'salience/1',
          by: 'rules',
          components: { basePoints: 40, engagementPoints: 31.5, urgencyPoints: 12, categoryBoost: 1.2, sentimentMultiplier: 1, decay: 0.97, mentions: 3 },
        },
      },
      9001,
    ),
    makeSignal({ source: 'reddit', kind: 'post', sourceId: 'discussing', title: DISCUSSING_TITLE, salience: 5, discoveryScore: null, publishedAt: recent }, 9002),
    makeSignal({ source: 'arxiv', kind: 'preprint', sourceId: 'cited', title: CITED_TITLE, salience: 4, discoveryScore: 3, publishedAt: recent }, 9003),
  ]);
  const ids = await db.query<{ id: string; sourceId: string }>(sql`
    SELECT id::text AS id, source_id AS "sourceId" FROM signals WHERE source_id IN ('featured', 'discussing', 'cited')`);
  const idOf = (sourceId: string): string => {
    const id = ids.find((row) => row.sourceId === sourceId)?.id;
    if (id === undefined) throw new Error(`seeded signal ${sourceId} not found`);
    return id;
  };
  const featuredId = idOf('featured');
  await insertEdges(db, [
    { fromSignalId: idOf('discussing'), toIdentifier: `signal:${featuredId}`, toSignalId: featuredId, type: 'discusses', confidence: 0.9, evidence: { via: 'url' } },
    { fromSignalId: featuredId, toIdentifier: `signal:${idOf('cited')}`, toSignalId: idOf('cited'), type: 'cites', confidence: 0.8, evidence: { via: 'arxiv' } },
    { fromSignalId: featuredId, toIdentifier: PENDING_IDENTIFIER, type: 'cites', confidence: 0.6, evidence: { via: 'text' } },
  ]);

  await upsertTaxonomyTopics(db, [
    { path: 'science/regeneration', name: TOPIC_NAME, keywords: ['zebrafish', 'regeneration'] },
    { path: 'science/regrowth', name: 'Regrowth', keywords: ['regrowth'] },
  ]);
  const topics = await db.query<{ id: string; path: string }>(sql`SELECT id::text AS id, path FROM topics WHERE path LIKE 'science/re%'`);
  const topic = topics.find((row) => row.path === 'science/regeneration');
  const merged = topics.find((row) => row.path === 'science/regrowth');
  if (topic === undefined || merged === undefined) throw new Error('seeded topics not found');
  // 1 member 10 days ago, 4 two days ago, 3 today: growing over the 14-day window.
  const ages = [10, 2, 2, 2, 2, 0, 0, 0];
  await upsertSignals(
    db,
    ages.map((days, i) =>
      makeSignal({ source: 'hackernews', kind: 'post', sourceId: `topic-${String(i)}`, title: `Regeneration story ${String(i)}`, salience: 10 + i, discoveryScore: null, publishedAt: new Date(now - days * DAY - 60_000) }, 9100 + i),
    ),
  );
  const members = await db.query<{ id: string }>(sql`SELECT id::text AS id FROM signals WHERE source_id LIKE 'topic-%'`);
  await assignSignalTopics(db, [...members.map(({ id }) => ({ signalId: id, topicId: topic.id, weight: 1 })), { signalId: featuredId, topicId: topic.id, weight: 1 }]);
  // An emerge event, growth on the days after it, a split and a merge among them: newest first.
  await recordTopicEvents(db, [
    { topicId: topic.id, kind: 'emerge', occurredOn: isoDay(now - (TOPIC_EVENTS + 5) * DAY), details: { path: 'science/regeneration', members: 3 } },
    ...Array.from({ length: TOPIC_EVENTS - 3 }, (_, i) => ({ topicId: topic.id, kind: 'growth' as const, occurredOn: isoDay(now - (TOPIC_EVENTS + 4 - i) * DAY), details: { earlier: i + 1, recent: i + 3 } })),
    { topicId: topic.id, kind: 'split', occurredOn: isoDay(now - 3 * DAY), details: { path: 'science/regeneration', similarity: 0.4321 } },
    { topicId: topic.id, kind: 'merge', occurredOn: isoDay(now - DAY), details: { from: { id: merged.id, path: 'science/regrowth' }, into: { id: topic.id, path: 'science/regeneration' } } },
  ]);
  return { featuredId, topicId: topic.id };
}
