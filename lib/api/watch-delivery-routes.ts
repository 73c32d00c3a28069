// A watch's delivery settings and digests as route specs: item by item or a daily/weekly digest of
// its top N new items, to its webhook (PUT …/webhook) and/or its own Slack incoming webhook; the
// digests built so far with their status.
import * as z from 'zod/mini';
import { DELIVERY_MODES, DIGEST_CHANNELS, DIGEST_PERIODS, DIGEST_STATUSES, MAX_DIGEST_SIZE, MIN_DIGEST_SIZE } from '../model/watch-delivery.js';
import type { RouteSpec } from '../http/index.js';
import { pageLimit } from './common-schemas.js';
import { QUEUE_ROW_FIELDS } from './queue-row.js';
import { UNDER_WATCH, WATCH_NOT_FOUND } from './watches-routes.js';

export const deliverySchema = z.strictObject({
  watch_id: z.string(),
  mode: z.enum(DELIVERY_MODES),
  digest_size: z.number(),
  /** `hooks.slack.com/services/T0…/…wxyz`, or null: the URL itself is never shown. */
  slack_url_hint: z.nullable(z.string()),
});

const digestSchema = z.strictObject({
  id: z.string(),
  channel: z.enum(DIGEST_CHANNELS),
  period: z.enum(DIGEST_PERIODS),
  period_start: z.string(),
  period_end: z.string(),
  message_id: z.string(),
  items: z.number(),
  status: z.enum(DIGEST_STATUSES),
  ...QUEUE_ROW_FIELDS,
});

const MODES =
  '`item` (default): each new matching signal as it is harvested (within about a minute), to the webhook as `signal.matched` ' +
  'and to Slack as one message. `daily` / `weekly`: one digest per period — periods end at 00:00 UTC, weekly ones on Monday — ' +
  'sent about 10–25 minutes after the period ends: the top `digest_size` signals by score among those harvested since the ' +
  'last digest (at most two periods back), never one an earlier digest carried; to the webhook as `{"type":"watch.digest",' +
  '"timestamp","data":{"watch","period","period_start","period_end","signals":[…]}}`, signed like every delivery, and to Slack ' +
  'as one message. A period with nothing new sends nothing. Feeds are the same in every mode.';

export const getDeliveryRoute = {
  method: 'get',
  path: '/v1/watches/{id}/delivery',
  operationId: 'getWatchDelivery',
  summary: 'How the watch delivers: item by item or as a digest, and whether it has a Slack webhook (a hint of it)',
  description: MODES,
  ...UNDER_WATCH,
  responses: { 200: { description: 'The delivery settings', schema: deliverySchema }, 404: WATCH_NOT_FOUND },
} satisfies RouteSpec;

export const updateDeliveryRoute = {
  method: 'patch',
  path: '/v1/watches/{id}/delivery',
  operationId: 'updateWatchDelivery',
  summary: 'Choose item-by-item or digest delivery, the digest size, and the watch\'s own Slack webhook',
  description:
    `${MODES}\n\n\`slack_url\`: a Slack incoming webhook (https://hooks.slack.com/services/…), a credential: stored encrypted, ` +
    'shown afterwards only as a hint; `null` removes it (messages still pending are given up). This Slack webhook is the ' +
    "watch's own, beside the service's run-level Slack notification, which is unchanged. Switching back to `item` starts from " +
    'signals harvested from then on.',
  ...UNDER_WATCH,
  body: z.strictObject({
    mode: z.optional(z.enum(DELIVERY_MODES)),
    digest_size: z.optional(z.number().check(z.int(), z.minimum(MIN_DIGEST_SIZE), z.maximum(MAX_DIGEST_SIZE))),
    slack_url: z.optional(z.nullable(z.string().check(z.minLength(1), z.maxLength(500)))),
  }),
  responses: { 200: { description: 'The delivery settings now', schema: deliverySchema }, 404: WATCH_NOT_FOUND },
} satisfies RouteSpec;

export const listDigestsRoute = {
  method: 'get',
  path: '/v1/watches/{id}/digests',
  operationId: 'listWatchDigests',
  summary: "The watch's digests, newest period first: channel, period, items, status, attempts, last error",
  description:
    'status: `pending` (to send, or waiting for a retry at `next_attempt_at`), `delivered`, `failed` (given up after the webhook ' +
    'retry schedule), `empty` (nothing new in the period; nothing sent). A retry sends the same body under the same `message_id` ' +
    '(the `webhook-id`): deduplicate on it.',
  ...UNDER_WATCH,
  query: z.strictObject({ limit: pageLimit }),
  responses: { 200: { description: 'The digests', schema: z.strictObject({ items: z.array(digestSchema) }) }, 404: WATCH_NOT_FOUND },
} satisfies RouteSpec;

export const watchDeliveryRoutes = [getDeliveryRoute, updateDeliveryRoute, listDigestsRoute] as const;
