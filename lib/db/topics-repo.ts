// The topics repository: topics (configured and emergent), which signals belong to which topic,
// and the topic events of the daily evolution job; plus the reads of the topics API (trending,
// stats and timeline, events). Every write is idempotent — ON CONFLICT on the natural keys — so the
// daily job can run a day again and add nothing. Ids arrive from URLs; a malformed one is "not
// found", never a SQL error.
import { BadRequestError } from '../errors.js';
import { isSignalId } from './ids.js';
import { bulk, empty, sql, type Sql } from './sql.js';
import type { Queryable } from './types.js';

/** The same lists as the CHECK constraints of infra/migrations. */
export const TOPIC_KINDS = ['taxonomy', 'emergent'] as const;
export const TOPIC_STATUSES = ['active', 'merged', 'retired'] as const;
export const TOPIC_EVENT_KINDS = ['emerge', 'growth', 'decline', 'merge', 'split'] as const;

export type TopicKind = (typeof TOPIC_KINDS)[number];
export type TopicStatus = (typeof TOPIC_STATUSES)[number];
export type TopicEventKind = (typeof TOPIC_EVENT_KINDS)[number];

export interface Topic {
  /** int8 as a decimal string. */
  id: string;
  /** `ai/llm/agents`, `emergent/mamba-ssm`; unique. */
  path: string;
  name: string;
  kind: TopicKind;
  keywords: string[];
  status: TopicStatus;
  /** Set when status is `merged`: the topic that absorbed this one. */
  mergedInto: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A topic with the centroid it emerged with (emergent topics; null for taxonomy ones). */
export interface TopicWithCentroid extends Topic {
  centroid: Float32Array | null;
}

export interface NewTopic {
  path: string;
  name: string;
  keywords: readonly string[];
}

export interface NewEmergentTopic extends NewTopic {
  centroid: Float32Array;
}

/** A signal the evolution job looks at: what it is matched on, and its active topics now. */
export interface WindowSignal {
  id: string;
  title: string;
  /** The first TEXT_CHARS characters of the body. */
  text: string;
  tags: string[];
  publishedAt: Date;
  /** Active topics it belongs to, ascending. */
  topicIds: string[];
}

export interface SignalTopicRow {
  signalId: string;
  topicId: string;
  /** In (0, 1]. */
  weight: number;
}

export interface NewTopicEvent {
  topicId: string;
  kind: TopicEventKind;
  /** `YYYY-MM-DD` (UTC): one event of a kind per topic and day. */
  occurredOn: string;
  details: Record<string, unknown>;
}

export interface TopicEvent extends NewTopicEvent {
  id: string;
  createdAt: Date;
}

/** A window [since, until) and its midpoint: the earlier half is [since, mid), the recent one [mid, until). */
export interface TopicWindow {
  since: Date;
  until: Date;
}

export interface TopSignal {
  id: string;
  title: string;
  url: string;
  score: number;
  /** ISO 8601, UTC. */
  publishedAt: string;
}

export interface TrendingTopic {
  id: string;
  path: string;
  name: string;
  kind: TopicKind;
  /** Members published in the earlier and the recent half of the window. */
  earlier: number;
  recent: number;
  /** (recent − earlier) / max(earlier, 1). */
  growthRate: number;
  /** Its best-scored members in the window, best first. */
  topSignals: TopSignal[];
}

export interface TopicStats {
  /** Members ever (archived signals left out). */
  total: number;
  /** Members published in the window, and in its two halves. */
  inWindow: number;
  earlier: number;
  recent: number;
  growthRate: number;
  /** Publication times of its first and latest member; null without members. */
  firstSeen: Date | null;
  lastSeen: Date | null;
  /** Members per UTC day over the window, every day present (zeros too), oldest first. */
  timeline: Array<{ day: string; count: number }>;
}

/** Characters of a body the job reads (matching and vectors use no more: lib/harvest/topics/vectors.ts MAX_BODY_CHARS). */
export const TEXT_CHARS = 2000;
/** Rows per signal_topics statement: three array parameters, however many rows. */
const ASSIGN_BATCH_SIZE = 5000;
/** Rows per topic_events statement (4 parameters each). */
const EVENT_BATCH_SIZE = 1000;

const TOPIC_COLUMNS = sql`
  id::text AS id, path, name, kind, keywords, status, merged_into::text AS "mergedInto",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

const EVENT_COLUMNS = sql`
  id::text AS id, topic_id::text AS "topicId", kind, occurred_on::text AS "occurredOn", details, created_at AS "createdAt"`;

/** A timestamp as ISO 8601 in UTC with milliseconds, the way the API writes every time. */
function isoUtc(column: Sql): Sql {
  return sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

function midpoint(window: TopicWindow): Date {
  return new Date((window.since.getTime() + window.until.getTime()) / 2);
}

function checkWindow(window: TopicWindow): void {
  if (!(window.since.getTime() < window.until.getTime())) throw new RangeError('a topic window must end after it starts');
}

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

/** The `{…}` text of a real[] as a Float32Array (read as text: both drivers give the same string). */
function parseVector(text: string | null): Float32Array | null {
  if (text === null) return null;
  const inner = text.replace(/^\{|\}$/g, '');
  return inner === '' ? null : Float32Array.from(inner.split(','), Number);
}

type CentroidRow = Topic & { centroid: string | null };

/** Active topics, taxonomy and emergent, by id. */
export async function listActiveTopics(db: Queryable): Promise<TopicWithCentroid[]> {
  const rows = await db.query<CentroidRow>(sql`
    SELECT ${TOPIC_COLUMNS}, centroid::text AS centroid FROM topics WHERE status = 'active' ORDER BY id`);
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

// ── Reads of the topics API ───────────────────────────────────────────────────────────────────

/** Topic ids are positive bigints like signal ids: the same check keeps a malformed one out of SQL. */
const isTopicId = isSignalId;

export async function getTopic(db: Queryable, id: string): Promise<Topic | undefined> {
  if (!isTopicId(id)) return undefined;
  const rows = await db.query<Topic>(sql`SELECT ${TOPIC_COLUMNS} FROM topics WHERE id = ${id}::bigint`);
  return rows[0];
}

/** Topics merged into `id` (id and path), oldest first. */
export async function mergedInto(db: Queryable, id: string): Promise<Array<{ id: string; path: string }>> {
  if (!isTopicId(id)) return [];
  return db.query<{ id: string; path: string }>(sql`
    SELECT id::text AS id, path FROM topics WHERE merged_into = ${id}::bigint ORDER BY id`);
}

/**
 * Active topics with members in the recent half of the window, fastest-growing first (then most
 * recent members, then id), each with its `topSignals` best-scored members of the window.
 */
export async function trendingTopics(db: Queryable, options: TopicWindow & { limit: number; topSignals: number }): Promise<TrendingTopic[]> {
  checkWindow(options);
  const { since, until } = options;
  const mid = midpoint(options);
  return db.query<TrendingTopic>(sql`
    WITH counts AS (
      SELECT st.topic_id,
        count(*) FILTER (WHERE s.published_at < ${mid}::timestamptz)::int AS earlier,
        count(*) FILTER (WHERE s.published_at >= ${mid}::timestamptz)::int AS recent
      FROM signals s JOIN signal_topics st ON st.signal_id = s.id
      WHERE s.published_at >= ${since}::timestamptz AND s.published_at < ${until}::timestamptz AND s.status <> 'archived'
      GROUP BY st.topic_id
    )
    SELECT t.id::text AS id, t.path, t.name, t.kind, c.earlier, c.recent,
      (c.recent - c.earlier)::double precision / greatest(c.earlier, 1) AS "growthRate",
      coalesce(top.items, '[]'::jsonb) AS "topSignals"
    FROM counts c
    JOIN topics t ON t.id = c.topic_id AND t.status = 'active'
    LEFT JOIN LATERAL (
      SELECT jsonb_agg(jsonb_build_object(
          'id', x.id::text, 'title', x.title, 'url', x.url, 'score', x.score, 'publishedAt', ${isoUtc(sql`x.published_at`)})
        ORDER BY x.score DESC, x.id DESC) AS items
      FROM (
        SELECT s.id, s.title, s.url, s.score, s.published_at
        FROM signal_topics st JOIN signals s ON s.id = st.signal_id
        WHERE st.topic_id = t.id AND s.published_at >= ${since}::timestamptz AND s.published_at < ${until}::timestamptz
          AND s.status <> 'archived'
        ORDER BY s.score DESC, s.id DESC
        LIMIT ${options.topSignals}::int
      ) x
    ) top ON true
    WHERE c.recent > 0
    ORDER BY "growthRate" DESC, c.recent DESC, t.id
    LIMIT ${options.limit}::int`);
}

/** Every UTC day from `since`'s to the one before `until` (until exclusive, as a window is). */
export function daysOf(window: TopicWindow): string[] {
  const days: string[] = [];
  const day = new Date(Date.UTC(window.since.getUTCFullYear(), window.since.getUTCMonth(), window.since.getUTCDate()));
  while (day.getTime() < window.until.getTime()) {
    days.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return days;
}

type StatsRow = Omit<TopicStats, 'timeline' | 'growthRate'>;

/** Counts, first and latest member, and the daily timeline of topic `id` over the window. */
export async function topicStats(db: Queryable, id: string, window: TopicWindow): Promise<TopicStats> {
  checkWindow(window);
  const { since, until } = window;
  const mid = midpoint(window);
  const members = sql`
    FROM signal_topics st JOIN signals s ON s.id = st.signal_id
    WHERE st.topic_id = ${id}::bigint AND s.status <> 'archived'`;
  const [stats] = await db.query<StatsRow>(sql`
    SELECT count(*)::int AS total,
      count(*) FILTER (WHERE s.published_at >= ${since}::timestamptz AND s.published_at < ${until}::timestamptz)::int AS "inWindow",
      count(*) FILTER (WHERE s.published_at >= ${since}::timestamptz AND s.published_at < ${mid}::timestamptz)::int AS earlier,
      count(*) FILTER (WHERE s.published_at >= ${mid}::timestamptz AND s.published_at < ${until}::timestamptz)::int AS recent,
      min(s.published_at) AS "firstSeen", max(s.published_at) AS "lastSeen"
    ${members}`);
  const perDay = await db.query<{ day: string; count: number }>(sql`
    SELECT to_char(s.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS count
    ${members} AND s.published_at >= ${since}::timestamptz AND s.published_at < ${until}::timestamptz
    GROUP BY 1`);
  if (stats === undefined) throw new Error('the topic statistics query returned no row');
  const counts = new Map(perDay.map((row) => [row.day, row.count]));
  return {
    ...stats,
    growthRate: (stats.recent - stats.earlier) / Math.max(stats.earlier, 1),
    timeline: daysOf(window).map((day) => ({ day, count: counts.get(day) ?? 0 })),
  };
}

/** Where the previous page of events stopped. */
export interface TopicEventCursor {
  /** `YYYY-MM-DD`. */
  occurredOn: string;
  id: string;
}

const DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

function isDay(value: string): boolean {
  return DAY.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

/**
 * Events of topic `id`, newest day first (then newest id), optionally of one kind; keyset-paged:
 * pass the last event of a page as `after`. One more than `limit` is read to tell whether a next
 * page exists. A cursor from a client that is not well-formed is a 400.
 */
export async function listTopicEvents(
  db: Queryable,
  id: string,
  options: { limit: number; kind?: TopicEventKind; after?: TopicEventCursor },
): Promise<{ items: TopicEvent[]; next: TopicEventCursor | undefined }> {
  if (!isTopicId(id)) return { items: [], next: undefined };
  const { after } = options;
  if (after !== undefined && (!isDay(after.occurredOn) || !isSignalId(after.id))) throw new BadRequestError('invalid cursor: not an events cursor');
  const rows = await db.query<TopicEvent>(sql`
    SELECT ${EVENT_COLUMNS} FROM topic_events
    WHERE topic_id = ${id}::bigint
      ${options.kind === undefined ? empty : sql`AND kind = ${options.kind}`}
      ${after === undefined ? empty : sql`AND (occurred_on, id) < (${after.occurredOn}::date, ${after.id}::bigint)`}
    ORDER BY occurred_on DESC, id DESC
    LIMIT ${options.limit + 1}::int`);
  const items = rows.slice(0, options.limit);
  const last = rows.length > options.limit ? items.at(-1) : undefined;
  return { items, next: last === undefined ? undefined : { occurredOn: last.occurredOn, id: last.id } };
}
