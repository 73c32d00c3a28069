// The watches API as route specs: saved queries owned by the calling key. A watch's filter takes
// the filters of GET /v1/signals (the same schemas) plus kinds, topics and the mute filters; the
// feed token comes back once, on create and on rotation.
import * as z from 'zod/mini';
import { SIGNAL_KINDS } from '../model/signal.js';
import { WATCH_CAPS } from '../delivery/watch-caps.js';
import type { RouteSpec } from '../http/index.js';
import { listSignalsRoute } from './signals-routes.js';

const signalsQuery = listSignalsRoute.query.shape;

/** NUL, which Postgres text and jsonb refuse: a 400 here rather than a 500 from the database. */
const noNul = z.refine<string>((value) => !value.includes('\u0000'), 'must not contain NUL');

/** Text a client sends: trimmed, bounded, and free of NUL. */
function text(max: number): z.ZodMiniString {
  return z.string().check(z.trim(), z.minLength(1), z.maxLength(max), noNul);
}

function list<T extends z.core.$ZodType>(item: T, max: number): z.ZodMiniArray<T> {
  return z.array(item).check(z.minLength(1), z.maxLength(max));
}

/** Lower-case host names: `example.com`, `news.example.co.uk` (sub-domains are muted with them). */
const domain = z.string().check(z.toLowerCase(), z.regex(/^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/, 'must be a host name like example.com'));

const topicPath = z.string().check(z.regex(/^[a-z0-9_-]+(\/[a-z0-9_-]+)*$/, 'must be a topic path like security/vulnerabilities'), z.maxLength(200));

export const watchFilterSchema = z.strictObject({
  source: signalsQuery.source,
  kind: signalsQuery.kind,
  category: signalsQuery.category,
  status: signalsQuery.status,
  min_score: z.optional(z.number().check(z.minimum(0), z.maximum(100))),
  q: z.optional(text(200)),
  tag: z.optional(list(z.string().check(z.minLength(1), z.maxLength(64), noNul), 10)),
  kinds: z.optional(list(z.enum(SIGNAL_KINDS), SIGNAL_KINDS.length)),
  topics: z.optional(list(topicPath, 20)),
  exclude_terms: z.optional(list(text(100), 50)),
  exclude_sources: z.optional(list(z.string().check(z.regex(/^[a-z0-9_]{1,32}$/)), 20)),
  exclude_domains: z.optional(list(domain, 100)),
});

const FILTER_DESCRIPTION =
  'The filters of `GET /v1/signals` (`source`, `kind`, `category`, `status`, `min_score`, `q`, `tag`) plus `kinds` (any of), ' +
  '`topics` (topic paths; a path matches its sub-topics), and mute filters `exclude_terms` (words or phrases in title or text), ' +
  '`exclude_sources` and `exclude_domains` (a domain mutes its sub-domains). All given fields must hold. A filter with none of ' +
  '`source`, `kind`, `kinds`, `category`, `q`, `tag`, `topics` and no `min_score` would match everything and is refused. ' +
  '`status` defaults to `active` in the feed.';

const feedUrlsSchema = z.strictObject({ atom: z.string(), rss: z.string(), json: z.string() });

export const watchSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  filter: watchFilterSchema,
  feed_token_prefix: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});

/** A watch with its feed token and feed URLs: returned on create and rotation only. */
export const watchWithTokenSchema = z.strictObject({ ...watchSchema.shape, feed_token: z.string(), feed_urls: feedUrlsSchema });

/** What every route under /v1/watches/{id} has: its tag, a key, and the `{id}`. */
export const UNDER_WATCH = { tags: ['watches'], tier: 'api_key' as const, params: z.strictObject({ id: z.string().check(z.regex(/^[1-9][0-9]{0,17}$/)) }) };
export const WATCH_NOT_FOUND = { description: 'No such watch, or another key owns it' };

const CAPS = `Per key: ${String(WATCH_CAPS.api_key)} watches for \`api_key\`, ${String(WATCH_CAPS.premium)} for \`premium\`, ${String(WATCH_CAPS.admin)} for \`admin\`.`;

export const createWatchRoute = {
  method: 'post',
  path: '/v1/watches',
  operationId: 'createWatch',
  summary: 'Save a query as a watch; its feed token is in this response only',
  description: `${FILTER_DESCRIPTION}\n\n${CAPS} Past the cap: 403.`,
  tags: ['watches'],
  tier: 'api_key',
  body: z.strictObject({ name: text(100), filter: watchFilterSchema }),
  responses: {
    201: { description: 'The watch, with `feed_token` and `feed_urls`: store them now, the token cannot be shown again', schema: watchWithTokenSchema },
  },
} satisfies RouteSpec;

export const listWatchesRoute = {
  method: 'get',
  path: '/v1/watches',
  operationId: 'listWatches',
  summary: "The calling key's watches, newest first (an admin sees every key's)",
  tags: ['watches'],
  tier: 'api_key',
  responses: { 200: { description: 'The watches', schema: z.strictObject({ items: z.array(watchSchema) }) } },
} satisfies RouteSpec;

export const getWatchRoute = {
  method: 'get',
  path: '/v1/watches/{id}',
  operationId: 'getWatch',
  summary: 'One watch of the calling key',
  ...UNDER_WATCH,
  responses: { 200: { description: 'The watch', schema: watchSchema }, 404: WATCH_NOT_FOUND },
} satisfies RouteSpec;

export const updateWatchRoute = {
  method: 'patch',
  path: '/v1/watches/{id}',
  operationId: 'updateWatch',
  summary: 'Rename a watch or replace its filter',
  description: FILTER_DESCRIPTION,
  ...UNDER_WATCH,
  body: z.strictObject({ name: z.optional(text(100)), filter: z.optional(watchFilterSchema) }),
  responses: { 200: { description: 'The updated watch', schema: watchSchema }, 404: WATCH_NOT_FOUND },
} satisfies RouteSpec;

export const deleteWatchRoute = {
  method: 'delete',
  path: '/v1/watches/{id}',
  operationId: 'deleteWatch',
  summary: 'Delete a watch; its feed URLs stop working',
  ...UNDER_WATCH,
  responses: { 204: { description: 'Deleted' }, 404: WATCH_NOT_FOUND },
} satisfies RouteSpec;

export const rotateFeedTokenRoute = {
  method: 'post',
  path: '/v1/watches/{id}/feed-token',
  operationId: 'rotateWatchFeedToken',
  summary: 'Replace the feed token: the old feed URLs answer 404 from now on',
  ...UNDER_WATCH,
  responses: {
    200: { description: 'The watch with its new `feed_token` and `feed_urls`, shown this once', schema: watchWithTokenSchema },
    404: WATCH_NOT_FOUND,
  },
} satisfies RouteSpec;

export const watchesRoutes = [createWatchRoute, listWatchesRoute, getWatchRoute, updateWatchRoute, deleteWatchRoute, rotateFeedTokenRoute] as const;
