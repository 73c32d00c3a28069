// The topics repository: the reads of the topics API (one topic, trending, stats and timeline,
// events); the daily evolution job's reads and writes are in topics-evolution-repo.ts. Ids arrive
// from URLs; a malformed one is "not found", never a SQL error.
import { InvalidCursorError } from '../model/errors.js';
import type { Topic, TopicEvent, TopicEventKind } from '../model/topic.js';
import { isSignalId } from './ids.js';
import { empty, sql } from './sql.js';
import { checkWindow, EVENT_COLUMNS, isDay, isoUtc, isTopicId, midpoint, TOPIC_COLUMNS } from './topics-queries.js';
import type { TopicEventCursor, TopicStats, TopicWindow, TrendingTopic } from './topics-types.js';
import type { Queryable } from './types.js';

export * from './topics-types.js';
export * from './topics-evolution-repo.js';

export async function getTopic(db: Queryable, id: string): Promise<Topic | undefined> {
  if (!isTopicId(id)) return undefined;
  const rows = await db.query<Topic>(sql`SELECT ${TOPIC_COLUMNS} FROM topics WHERE id = ${id}::bigint`);
  return rows[0];
}

/** Topics merged into `id` (id and path), oldest first. */
export async function mergedInto(db: Queryable, id: string): Promise<Array<{ id: string; path: string }>> {
  if (!isTopicId(id)) return [];
  return db.query<{ id: string; path: string }>(sql`
    SELECT id::text AS id, path FROM topics WHERE merged_into = ${id}::bigint ORDER BY topics.id`);
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

/**
 * Events of topic `id`, newest day first (then newest id), optionally of one kind; keyset-paged:
 * pass the last event of a page as `after`. One more than `limit` is read to tell whether a next
 * page exists. A cursor from a client that is not well-formed is an InvalidCursorError.
 */
export async function listTopicEvents(
  db: Queryable,
  id: string,
  options: { limit: number; kind?: TopicEventKind; after?: TopicEventCursor },
): Promise<{ items: TopicEvent[]; next: TopicEventCursor | undefined }> {
  if (!isTopicId(id)) return { items: [], next: undefined };
  const { after } = options;
  if (after !== undefined && (!isDay(after.occurredOn) || !isSignalId(after.id))) throw new InvalidCursorError('not an events cursor');
  const rows = await db.query<TopicEvent>(sql`
    SELECT ${EVENT_COLUMNS} FROM topic_events
    WHERE topic_id = ${id}::bigint
      ${options.kind === undefined ? empty : sql`AND kind = ${options.kind}`}
      ${after === undefined ? empty : sql`AND (occurred_on, id) < (${after.occurredOn}::date, ${after.id}::bigint)`}
    -- Qualified: a bare id here is the output column, id::text, which sorts '9' after '10'.
    ORDER BY topic_events.occurred_on DESC, topic_events.id DESC
    LIMIT ${options.limit + 1}::int`);
  const items = rows.slice(0, options.limit);
  const last = rows.length > options.limit ? items.at(-1) : undefined;
  return { items, next: last === undefined ? undefined : { occurredOn: last.occurredOn, id: last.id } };
}
