// The topics API as route specs: trending topics over a window, one topic with its statistics and
// daily timeline, and a topic's evolution events. One schema per route validates and documents.
import * as z from 'zod/mini';
import { TOPIC_EVENT_KINDS, TOPIC_KINDS, TOPIC_STATUSES } from '../model/topic.js';
import type { RouteSpec } from '../http/index.js';
import { cursorParam } from './common-schemas.js';

/** Topic ids are positive bigints, sent as strings (like signal ids). */
const topicId = z.string().check(z.regex(/^[1-9][0-9]{0,17}$/));

/** `7d`, `14d`, `30d`: whole days from 2 to 90 (two halves to compare, at most a quarter). */
export const WINDOW_PATTERN = /^(?:[2-9]|[1-8][0-9]|90)d$/;
const windowParam = z._default(z.string().check(z.regex(WINDOW_PATTERN)), '14d');

/** The days of a validated `window` parameter. */
export function windowDays(window: string): number {
  return Number.parseInt(window, 10);
}

const topicSummary = {
  id: z.string(),
  path: z.string(),
  name: z.string(),
  kind: z.enum(TOPIC_KINDS),
};

const topSignalSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  url: z.string(),
  score: z.number(),
  published_at: z.string(),
});

const windowSchema = z.strictObject({ days: z.number(), since: z.string(), until: z.string() });

export const trendingTopicsRoute = {
  method: 'get',
  path: '/v1/topics/trending',
  operationId: 'trendingTopics',
  summary: 'Topics growing fastest: members in the recent half of the window against the earlier half',
  description:
    '`growth_rate` = (recent − earlier) / max(earlier, 1). Topics with no member in the recent half are left out; ' +
    'ties go to the topic with more recent members.',
  tags: ['topics'],
  query: z.strictObject({
    window: windowParam,
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(50)), 10),
    top_signals: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(10)), 3),
  }),
  responses: {
    200: {
      description: 'Trending topics, fastest-growing first',
      schema: z.strictObject({
        window: windowSchema,
        items: z.array(
          z.strictObject({
            ...topicSummary,
            earlier: z.number(),
            recent: z.number(),
            growth_rate: z.number(),
            top_signals: z.array(topSignalSchema),
          }),
        ),
      }),
    },
  },
} satisfies RouteSpec;

const idParams = z.strictObject({ id: topicId });

export const topicSchema = z.strictObject({
  ...topicSummary,
  keywords: z.array(z.string()),
  status: z.enum(TOPIC_STATUSES),
  merged_into: z.nullable(z.string()),
  merged_from: z.array(z.strictObject({ id: z.string(), path: z.string() })),
  created_at: z.string(),
  updated_at: z.string(),
});

export const getTopicRoute = {
  method: 'get',
  path: '/v1/topics/{id}',
  operationId: 'getTopic',
  summary: 'One topic, its member counts and its daily timeline over a window',
  tags: ['topics'],
  params: idParams,
  query: z.strictObject({ window: z._default(z.string().check(z.regex(WINDOW_PATTERN)), '30d') }),
  responses: {
    200: {
      description: 'The topic with statistics',
      schema: z.strictObject({
        ...topicSchema.shape,
        stats: z.strictObject({
          total: z.number(),
          in_window: z.number(),
          earlier: z.number(),
          recent: z.number(),
          growth_rate: z.number(),
          first_seen: z.nullable(z.string()),
          last_seen: z.nullable(z.string()),
        }),
        window: windowSchema,
        timeline: z.array(z.strictObject({ day: z.string(), count: z.number() })),
      }),
    },
    404: { description: 'No such topic' },
  },
} satisfies RouteSpec;

export const topicEventSchema = z.strictObject({
  id: z.string(),
  topic_id: z.string(),
  kind: z.enum(TOPIC_EVENT_KINDS),
  occurred_on: z.string(),
  details: z.record(z.string(), z.unknown()),
  created_at: z.string(),
});

export const topicEventsRoute = {
  method: 'get',
  path: '/v1/topics/{id}/events',
  operationId: 'topicEvents',
  summary: "A topic's evolution events (emerge, growth, decline, merge, split), newest first",
  tags: ['topics'],
  params: idParams,
  query: z.strictObject({
    kind: z.optional(z.enum(TOPIC_EVENT_KINDS)),
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
    cursor: cursorParam,
  }),
  responses: {
    200: { description: 'A page of events and the cursor of the next one', schema: z.strictObject({ items: z.array(topicEventSchema), next_cursor: z.nullable(z.string()) }) },
    404: { description: 'No such topic' },
  },
} satisfies RouteSpec;

/** In mounting order: the exact path before `{id}`, as API Gateway matches. */
export const topicsRoutes = [trendingTopicsRoute, getTopicRoute, topicEventsRoute] as const;
