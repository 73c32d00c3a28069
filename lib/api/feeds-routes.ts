// The feeds API as a route spec: a watch's signals as Atom, RSS or JSON Feed, addressed by the
// watch's feed token because feed readers cannot send headers.
import * as z from 'zod/mini';
import { MAX_FEED_ITEMS, DEFAULT_FEED_ITEMS } from '../delivery/feeds/feed-page.js';
import type { RouteSpec } from '../http/index.js';

/** `<token>.atom`, `<token>.rss` or `<token>.json`; the token's shape is checked before any query. */
export const FEED_FILE = /^(shf_[A-Za-z0-9_-]{43})\.(atom|rss|json)$/;

export const getFeedRoute = {
  method: 'get',
  path: '/v1/feeds/{file}',
  operationId: 'getFeed',
  summary: "A watch's signals as a feed: `{token}.atom` (Atom 1.0), `{token}.rss` (RSS 2.0) or `{token}.json` (JSON Feed 1.1)",
  description:
    'No API key: the feed token in the URL is the credential (rotate it with `POST /v1/watches/{id}/feed-token`). ' +
    `Newest harvested first, ${String(DEFAULT_FEED_ITEMS)} items unless \`limit\` (1–${String(MAX_FEED_ITEMS)}) says otherwise. ` +
    'Answers carry `ETag`, `Last-Modified` and `Cache-Control: public, max-age=300`; a conditional GET ' +
    '(`If-None-Match` or `If-Modified-Since`) that matches gets `304 Not Modified` with no body.',
  tags: ['watches'],
  params: z.strictObject({ file: z.string().check(z.regex(FEED_FILE, 'must be <feed token>.atom, .rss or .json')) }),
  query: z.strictObject({ limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_FEED_ITEMS)), DEFAULT_FEED_ITEMS) }),
  responses: {
    200: { description: 'The feed (application/atom+xml, application/rss+xml or application/feed+json)' },
    304: { description: 'Not modified since the validators the reader sent' },
    404: { description: 'No watch has this feed token (never had, rotated, deleted, or its key revoked)' },
  },
} satisfies RouteSpec;

export const feedsRoutes = [getFeedRoute] as const;
