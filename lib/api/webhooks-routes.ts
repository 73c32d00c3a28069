// A watch's webhook as route specs: set the endpoint (its secret in that response only), read it
// (the secret's prefix only), remove it, rotate the secret (the previous one keeps signing for an
// overlap), and the watch's delivery history.
import * as z from 'zod/mini';
import { DELIVERY_CHANNELS, DELIVERY_STATUSES } from '../model/delivery.js';
import { RETRY_DELAYS_MS } from '../delivery/webhooks/retry-schedule.js';
import type { RouteSpec } from '../http/index.js';
import { pageLimit } from './common-schemas.js';
import { QUEUE_ROW_FIELDS } from './queue-row.js';
import { UNDER_WATCH } from './watches-routes.js';

const endpointSchema = z.strictObject({
  watch_id: z.string(),
  url: z.string(),
  secret_prefix: z.string(),
  /** While a rotation overlaps: when the previous secret stops signing. */
  previous_secret_expires_at: z.nullable(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
});

const endpointWithSecretSchema = z.strictObject({ ...endpointSchema.shape, secret: z.string() });

const deliverySchema = z.strictObject({
  id: z.string(),
  signal_id: z.string(),
  channel: z.enum(DELIVERY_CHANNELS),
  message_id: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  ...QUEUE_ROW_FIELDS,
});

const SCHEDULE = RETRY_DELAYS_MS.map((ms) => (ms < 60_000 ? `${String(ms / 1000)} s` : ms < 3_600_000 ? `${String(ms / 60_000)} min` : `${String(ms / 3_600_000)} h`)).join(', ');

const SIGNING =
  'Each delivery is a POST of `{"type":"signal.matched","timestamp","data":{"watch","signal"}}` signed per Standard Webhooks ' +
  '(`webhook-id`, `webhook-timestamp`, `webhook-signature`); verify it with any Standard Webhooks library and the `whsec_` secret. ' +
  '`webhook-id` stays the same on every retry: deduplicate on it (delivery is at least once). A 2xx answer is success; anything ' +
  `else (a redirect included) is retried after ${SCHEDULE} (±20 %), then given up.`;

const NOT_FOUND = { description: 'No such watch (or endpoint), or another key owns it' };

export const putWebhookRoute = {
  method: 'put',
  path: '/v1/watches/{id}/webhook',
  operationId: 'putWatchWebhook',
  summary: "Deliver the watch's new matches to an HTTPS endpoint; its signing secret is in this response only",
  description:
    `${SIGNING}\n\nThe URL must be https:// and its host must resolve to public addresses only (no private, loopback, link-local, ` +
    'carrier-grade NAT, unique-local or metadata addresses; checked again at every send). Setting it again replaces the URL and ' +
    'the secret. Signals harvested from now on are delivered, not earlier ones.',
  ...UNDER_WATCH,
  body: z.strictObject({ url: z.string().check(z.minLength(1), z.maxLength(2048)) }),
  responses: {
    200: { description: 'The endpoint with its `secret` (`whsec_…`): store it now, it cannot be shown again', schema: endpointWithSecretSchema },
    404: NOT_FOUND,
  },
} satisfies RouteSpec;

export const getWebhookRoute = {
  method: 'get',
  path: '/v1/watches/{id}/webhook',
  operationId: 'getWatchWebhook',
  summary: "The watch's webhook endpoint (the secret's prefix, never the secret)",
  ...UNDER_WATCH,
  responses: { 200: { description: 'The endpoint', schema: endpointSchema }, 404: NOT_FOUND },
} satisfies RouteSpec;

export const deleteWebhookRoute = {
  method: 'delete',
  path: '/v1/watches/{id}/webhook',
  operationId: 'deleteWatchWebhook',
  summary: 'Stop delivering to the endpoint; deliveries still pending are given up',
  ...UNDER_WATCH,
  responses: { 204: { description: 'Removed' }, 404: NOT_FOUND },
} satisfies RouteSpec;

export const rotateWebhookSecretRoute = {
  method: 'post',
  path: '/v1/watches/{id}/webhook/rotate',
  operationId: 'rotateWatchWebhookSecret',
  summary: 'Replace the signing secret; the previous one keeps signing beside it for an overlap (24 h by default)',
  description:
    'During the overlap every delivery carries two signatures (`v1,… v1,…`), one per secret, so a receiver holding either ' +
    'verifies: deploy the new secret within the overlap. Rotating again ends the earlier overlap.',
  ...UNDER_WATCH,
  responses: {
    200: { description: 'The endpoint with its new `secret`, shown this once, and when the previous one stops signing', schema: endpointWithSecretSchema },
    404: NOT_FOUND,
  },
} satisfies RouteSpec;

export const listDeliveriesRoute = {
  method: 'get',
  path: '/v1/watches/{id}/deliveries',
  operationId: 'listWatchDeliveries',
  summary: "The watch's deliveries, newest first: status, attempts, last error",
  description: `status: \`pending\` (queued or waiting for a retry at \`next_attempt_at\`), \`delivered\`, \`failed\` (given up). ${SIGNING}`,
  ...UNDER_WATCH,
  query: z.strictObject({
    limit: pageLimit,
    cursor: z.optional(z.string().check(z.regex(/^[1-9][0-9]{0,17}$/, "must be a previous page's next_cursor"))),
  }),
  responses: {
    200: { description: 'A page of deliveries; follow `next_cursor` until it is null', schema: z.strictObject({ items: z.array(deliverySchema), next_cursor: z.nullable(z.string()) }) },
    404: NOT_FOUND,
  },
} satisfies RouteSpec;

export const webhooksRoutes = [putWebhookRoute, getWebhookRoute, deleteWebhookRoute, rotateWebhookSecretRoute, listDeliveriesRoute] as const;
