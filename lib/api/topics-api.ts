// Handlers of the topics API: parse (done by the route specs), repository calls, map to JSON.
// Windows end at the next UTC midnight, so they are whole days and today's signals count.
import { getDb } from '../db/client.js';
import { getTopic, listTopicEvents, mergedInto, topicStats, trendingTopics } from '../db/topics-repo.js';
import { NotFoundError } from '../errors.js';
import { route, type App } from '../http/index.js';
import type { Topic, TopicEvent } from '../model/topic.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { getTopicRoute, topicEventsRoute, trendingTopicsRoute, windowDays } from './topics-routes.js';

const DAY_MS = 86_400_000;
export const EVENTS_ORDERING = 'occurred_on:desc';

/** The `days` whole UTC days up to and including today's. */
export function apiWindow(now: Date, days: number): { since: Date; until: Date } {
  const until = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY_MS;
  return { since: new Date(until - days * DAY_MS), until: new Date(until) };
}

function windowJson(days: number, window: { since: Date; until: Date }): { days: number; since: string; until: string } {
  return { days, since: window.since.toISOString(), until: window.until.toISOString() };
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`no topic with id ${id}`);
}

function topicJson(topic: Topic, mergedFrom: Array<{ id: string; path: string }>) {
  return {
    id: topic.id,
    path: topic.path,
    name: topic.name,
    kind: topic.kind,
    keywords: topic.keywords,
    status: topic.status,
    merged_into: topic.mergedInto,
    merged_from: mergedFrom,
    created_at: topic.createdAt.toISOString(),
    updated_at: topic.updatedAt.toISOString(),
  };
}

function eventJson(event: TopicEvent) {
  return {
    id: event.id,
    topic_id: event.topicId,
    kind: event.kind,
    occurred_on: event.occurredOn,
    details: event.details,
    created_at: event.createdAt.toISOString(),
  };
}

export function mountTopicsApi(app: App): void {
  route(app, trendingTopicsRoute, async (c, { query }) => {
    const days = windowDays(query.window);
    const window = apiWindow(new Date(), days);
    const topics = await trendingTopics(await getDb(), { ...window, limit: query.limit, topSignals: query.top_signals });
    return c.json({
      window: windowJson(days, window),
      items: topics.map((topic) => ({
        id: topic.id,
        path: topic.path,
        name: topic.name,
        kind: topic.kind,
        earlier: topic.earlier,
        recent: topic.recent,
        growth_rate: topic.growthRate,
        top_signals: topic.topSignals.map((signal) => ({
          id: signal.id,
          title: signal.title,
          url: signal.url,
          score: signal.score,
          published_at: signal.publishedAt,
        })),
      })),
    });
  });

  route(app, getTopicRoute, async (c, { params, query }) => {
    const db = await getDb();
    const topic = await getTopic(db, params.id);
    if (topic === undefined) throw notFound(params.id);
    const days = windowDays(query.window);
    const window = apiWindow(new Date(), days);
    const [stats, mergedFrom] = await Promise.all([topicStats(db, topic.id, window), mergedInto(db, topic.id)]);
    return c.json({
      ...topicJson(topic, mergedFrom),
      stats: {
        total: stats.total,
        in_window: stats.inWindow,
        earlier: stats.earlier,
        recent: stats.recent,
        growth_rate: stats.growthRate,
        first_seen: stats.firstSeen?.toISOString() ?? null,
        last_seen: stats.lastSeen?.toISOString() ?? null,
      },
      window: windowJson(days, window),
      timeline: stats.timeline,
    });
  });

  route(app, topicEventsRoute, async (c, { params, query }) => {
    const db = await getDb();
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, EVENTS_ORDERING);
    const [topic, page] = await Promise.all([
      getTopic(db, params.id),
      listTopicEvents(db, params.id, {
        limit: query.limit,
        kind: query.kind,
        after: after === undefined ? undefined : { occurredOn: String(after.value), id: after.id },
      }),
    ]);
    if (topic === undefined) throw notFound(params.id);
    const next = page.next === undefined ? null : encodeCursor({ ordering: EVENTS_ORDERING, value: page.next.occurredOn, id: page.next.id });
    return c.json({ items: page.items.map(eventJson), next_cursor: next });
  });
}
