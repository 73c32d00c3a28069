// Handlers of a watch's webhook routes (mounted in the watches function): scoped like the watches
// (a key its own, admins all); the URL checked against the SSRF rule before anything is stored;
// the secret generated here, sealed before it reaches the database, and returned once.
import { getConfig } from '../config.js';
import { getDb } from '../db/client.js';
import { listDeliveries } from '../db/delivery-outbox-repo.js';
import { deleteWebhookEndpoint, getWebhookEndpoint, putWebhookEndpoint, rotateWebhookSecret } from '../db/webhook-endpoints-repo.js';
import { checkEndpointUrl } from '../delivery/webhooks/endpoint-url.js';
import { sealSecret, secretPrefix, webhookKey } from '../delivery/webhooks/secret-box.js';
import { generateWebhookSecret } from '../delivery/webhooks/sign.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { route, type App } from '../http/index.js';
import type { Delivery } from '../model/delivery.js';
import type { WebhookEndpoint } from '../model/webhook-endpoint.js';
import { noWatch, ownedWatch, watchScope } from './owned-watch.js';
import { iso, queueRowJson } from './queue-row.js';
import { deleteWebhookRoute, getWebhookRoute, listDeliveriesRoute, putWebhookRoute, rotateWebhookSecretRoute } from './webhooks-routes.js';

function toEndpointJson(endpoint: WebhookEndpoint): Record<string, unknown> {
  return {
    watch_id: endpoint.watchId,
    url: endpoint.url,
    secret_prefix: endpoint.secretPrefix,
    previous_secret_expires_at: iso(endpoint.previousExpiresAt),
    created_at: iso(endpoint.createdAt),
    updated_at: iso(endpoint.updatedAt),
  };
}

function toDeliveryJson(delivery: Delivery): Record<string, unknown> {
  return {
    id: delivery.id,
    signal_id: delivery.signalId,
    channel: delivery.channel,
    message_id: delivery.messageId,
    ...queueRowJson(delivery),
  };
}

/** A new secret for the watch: the plaintext (shown once) and its sealed form (stored). */
function newSecret(watchId: string): { secret: string; sealed: { sealed: string; prefix: string } } {
  const secret = generateWebhookSecret();
  return { secret, sealed: { sealed: sealSecret(webhookKey(getConfig()), watchId, secret), prefix: secretPrefix(secret) } };
}

export function mountWebhooksApi(app: App): void {
  route(app, putWebhookRoute, async (c, { params, body }) => {
    const check = await checkEndpointUrl(body.url, { local: getConfig().STAGE === 'local' });
    if (!check.ok) throw new ValidationError(`the webhook URL ${check.reason}`, { details: [{ location: 'body', field: 'url', message: check.reason }] });
    const { secret, sealed } = newSecret(params.id);
    const endpoint = await putWebhookEndpoint(await getDb(), watchScope(c.var.caller), params.id, check.url, sealed);
    if (endpoint === undefined) throw noWatch(params.id);
    return c.json({ ...toEndpointJson(endpoint), secret });
  });

  route(app, getWebhookRoute, async (c, { params }) => {
    const endpoint = await getWebhookEndpoint(await getDb(), watchScope(c.var.caller), params.id);
    if (endpoint === undefined) throw new NotFoundError(`watch ${params.id} has no webhook`);
    return c.json(toEndpointJson(endpoint));
  });

  route(app, deleteWebhookRoute, async (c, { params }) => {
    if (!(await deleteWebhookEndpoint(await getDb(), watchScope(c.var.caller), params.id))) throw new NotFoundError(`watch ${params.id} has no webhook`);
    return c.body(null, 204);
  });

  route(app, rotateWebhookSecretRoute, async (c, { params }) => {
    const { secret, sealed } = newSecret(params.id);
    const endpoint = await rotateWebhookSecret(await getDb(), watchScope(c.var.caller), params.id, sealed, getConfig().WEBHOOK_ROTATION_OVERLAP_MS);
    if (endpoint === undefined) throw new NotFoundError(`watch ${params.id} has no webhook`);
    return c.json({ ...toEndpointJson(endpoint), secret });
  });

  route(app, listDeliveriesRoute, async (c, { params, query }) => {
    await ownedWatch(c, params.id);
    const items = await listDeliveries(await getDb(), params.id, query.limit, query.cursor);
    const last = items.at(-1);
    return c.json({ items: items.map(toDeliveryJson), next_cursor: items.length === query.limit && last !== undefined ? last.id : null });
  });
}
