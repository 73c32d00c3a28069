// What the daily topic evolution job (lib/harvest/topics/evolve.ts) reads and writes: topics
// (configured and emergent), which signals belong to which topic, and topic events. Every write is
// idempotent — ON CONFLICT on the natural keys — so the job can run a day again and add nothing.
import type { NewTopicEvent, Topic, TopicEventKind } from '../model/topic.js';
import { bulk, sql } from './sql.js';
import { checkWindow, parseVector, TOPIC_COLUMNS } from './topics-queries.js';
import type { NewEmergentTopic, NewTopic, SignalTopicRow, TopicWindow, TopicWithCentroid, WindowSignal } from './topics-types.js';
import type { Queryable } from './types.js';

/** Characters of a body the job reads (matching and vectors use no more: lib/harvest/topics/vectors.ts MAX_BODY_CHARS). */
export const TEXT_CHARS = 2000;
/** Rows per signal_topics statement: three array parameters, however many rows. */
const ASSIGN_BATCH_SIZE = 5000;
/** Rows per topic_events statement (4 parameters each). */
const EVENT_BATCH_SIZE = 1000;

/**
 * Creates the configured topics, and updates the name and keywords of those that changed (an
 * unchanged one is not touched, so its updated_at means something). Returns how many rows changed.
 */
export async function upsertTaxonomyTopics(db: Queryable, topics: readonly NewTopic[]): Promise<number> {
  if (topics.length === 0) return 0;
  const rows = await db.query<{ id: string }>(sql`
    INSERT INTO topics (path, name, kind, keywords)
    VALUES ${bulk(topics.map((topic) => [topic.path, topic.name, 'taxonomy', [...topic.keywords]]))}
    ON CONFLICT (path) DO UPDATE SET name = EXCLUDED.name, keywords = EXCLUDED.keywords, updated_at = now()
      WHERE topics.kind = 'taxonomy' AND (topics.name, topics.keywords) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.keywords)
    RETURNING id::text AS id`);
  return rows.length;
}

type CentroidRow = Topic & { centroid: string | null };

/** Active topics, taxonomy and emergent, by id (`topics.id`: a bare id is the output column, text, where '9' > '10'). */
export async function listActiveTopics(db: Queryable): Promise<TopicWithCentroid[]> {
  const rows = await db.query<CentroidRow>(sql`
    SELECT ${TOPIC_COLUMNS}, centroid::text AS centroid FROM topics WHERE status = 'active' ORDER BY topics.id`);
  return rows.map((row) => ({ ...row, centroid: parseVector(row.centroid) }));
}

/**
 * Creates an emergent topic, or finds the one already at its path (then `created` is false and
 * nothing about it changes: an emergent topic's keywords and centroid are fixed at creation).
 */
export async function createEmergentTopic(db: Queryable, topic: NewEmergentTopic): Promise<{ topic: Topic; created: boolean }> {
  const inserted = await db.query<Topic>(sql`
    INSERT INTO topics (path, name, kind, keywords, centroid)
    VALUES (${topic.path}, ${topic.name}, 'emergent', ${[...topic.keywords]}::text[], ${Array.from(topic.centroid)}::real[])
    ON CONFLICT (path) DO NOTHING
    RETURNING ${TOPIC_COLUMNS}`);
  const created = inserted[0];
  if (created !== undefined) return { topic: created, created: true };
  const existing = await db.query<Topic>(sql`SELECT ${TOPIC_COLUMNS} FROM topics WHERE path = ${topic.path}`);
  const found = existing[0];
  if (found === undefined) throw new Error(`topic ${topic.path} neither inserted nor found`);
  return { topic: found, created: false };
}

/**
 * Signals published in the window (archived ones left out), newest first, at most `limit`, with
 * the active topics each belongs to.
 */
export async function windowSignals(db: Queryable, window: TopicWindow & { limit: number }): Promise<WindowSignal[]> {
  checkWindow(window);
  return db.query<WindowSignal>(sql`
    SELECT s.id::text AS id, s.title, left(s.text, ${TEXT_CHARS}::int) AS text, s.tags, s.published_at AS "publishedAt",
      coalesce((
        SELECT array_agg(st.topic_id::text ORDER BY st.topic_id)
        FROM signal_topics st JOIN topics t ON t.id = st.topic_id AND t.status = 'active'
        WHERE st.signal_id = s.id
      ), '{}'::text[]) AS "topicIds"
    FROM signals s
    WHERE s.published_at >= ${window.since}::timestamptz AND s.published_at < ${window.until}::timestamptz
      AND s.status <> 'archived'
    ORDER BY s.published_at DESC, s.id DESC
    LIMIT ${window.limit}::int`);
}

/** Puts signals in topics; a pair already there keeps its weight and time. Returns the rows added. */
export async function assignSignalTopics(db: Queryable, rows: readonly SignalTopicRow[]): Promise<number> {
  let added = 0;
  for (let start = 0; start < rows.length; start += ASSIGN_BATCH_SIZE) {
    const batch = rows.slice(start, start + ASSIGN_BATCH_SIZE);
    // Three arrays instead of three parameters a row: one short statement for thousands of rows.
    const inserted = await db.query<{ n: number }>(sql`
      WITH added AS (
        INSERT INTO signal_topics (signal_id, topic_id, weight)
        SELECT * FROM unnest(
          ${batch.map((row) => row.signalId)}::bigint[],
          ${batch.map((row) => row.topicId)}::bigint[],
          ${batch.map((row) => row.weight)}::double precision[])
        ON CONFLICT (signal_id, topic_id) DO NOTHING
        RETURNING 1
      )
      SELECT count(*)::int AS n FROM added`);
    added += inserted[0]?.n ?? 0;
  }
  return added;
}

/** (topic, signal) pairs of active topics whose signal was published in the window. */
export async function topicMembers(db: Queryable, window: TopicWindow): Promise<Array<{ topicId: string; signalId: string }>> {
  checkWindow(window);
  return db.query<{ topicId: string; signalId: string }>(sql`
    SELECT st.topic_id::text AS "topicId", st.signal_id::text AS "signalId"
    FROM signal_topics st
    JOIN topics t ON t.id = st.topic_id AND t.status = 'active'
    JOIN signals s ON s.id = st.signal_id
    WHERE s.published_at >= ${window.since}::timestamptz AND s.published_at < ${window.until}::timestamptz
      AND s.status <> 'archived'
    ORDER BY st.topic_id, st.signal_id`);
}

/**
 * Merges `absorbedId` into `intoId`: the absorbed topic gets status merged and merged_into, and its
 * signals join the other topic (keeping weight and time; pairs already there stay as they are).
 * Two statements: run it in a transaction. False when the topic was not active (merged already).
 */
export async function mergeTopics(db: Queryable, merge: { absorbedId: string; intoId: string }): Promise<boolean> {
  const updated = await db.query<{ id: string }>(sql`
    UPDATE topics SET status = 'merged', merged_into = ${merge.intoId}::bigint, updated_at = now()
    WHERE id = ${merge.absorbedId}::bigint AND status = 'active' AND id <> ${merge.intoId}::bigint
    RETURNING id::text AS id`);
  if (updated.length === 0) return false;
  await db.query(sql`
    INSERT INTO signal_topics (signal_id, topic_id, weight, assigned_at)
    SELECT signal_id, ${merge.intoId}::bigint, weight, assigned_at FROM signal_topics WHERE topic_id = ${merge.absorbedId}::bigint
    ON CONFLICT (signal_id, topic_id) DO NOTHING`);
  return true;
}

/** Records events; one already recorded for its topic, kind and day is left as it is. Returns how many were new. */
export async function recordTopicEvents(db: Queryable, events: readonly NewTopicEvent[]): Promise<number> {
  let added = 0;
  for (let start = 0; start < events.length; start += EVENT_BATCH_SIZE) {
    const batch = events.slice(start, start + EVENT_BATCH_SIZE);
    // jsonb as JSON text: both drivers pass a string through unchanged.
    const rows = await db.query<{ id: string }>(sql`
      INSERT INTO topic_events (topic_id, kind, occurred_on, details)
      VALUES ${bulk(batch.map((event) => [event.topicId, event.kind, event.occurredOn, JSON.stringify(event.details)]))}
      ON CONFLICT ON CONSTRAINT topic_events_once_a_day DO NOTHING
      RETURNING id::text AS id`);
    added += rows.length;
  }
  return added;
}

/** Topics with an event of `kind` dated `day` (`YYYY-MM-DD`): e.g. those that emerged today. */
export async function topicsWithEvent(db: Queryable, kind: TopicEventKind, day: string): Promise<Set<string>> {
  const rows = await db.query<{ topicId: string }>(sql`
    SELECT topic_id::text AS "topicId" FROM topic_events WHERE occurred_on = ${day}::date AND kind = ${kind}`);
  return new Set(rows.map((row) => row.topicId));
}
