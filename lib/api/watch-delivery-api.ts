// Handlers of a watch's delivery routes (mounted in the watches function): scoped like the watches
// (a key its own, admins all); a Slack URL checked (https, hooks.slack.com) before anything is
// stored, sealed before it reaches the database, and never returned.
import { getConfig } from '../config.js';
import { getDb } from '../db/client.js';
import { getWatchDelivery, updateWatchDelivery, type WatchDeliveryPatch } from '../db/watch-delivery-repo.js';
import { listDigests } from '../db/watch-digests-repo.js';
import { sealSlackUrl, slackUrlHint, slackUrlProblem } from '../delivery/slack/slack-url.js';
import { webhookKey } from '../delivery/webhooks/secret-box.js';
import { ValidationError } from '../errors.js';
import { route, type App } from '../http/index.js';
import type { Digest, WatchDelivery } from '../model/watch-delivery.js';
import { noWatch, ownedWatch, watchScope } from './owned-watch.js';
import { iso, queueRowJson } from './queue-row.js';
import { getDeliveryRoute, listDigestsRoute, updateDeliveryRoute } from './watch-delivery-routes.js';

function toDeliveryJson(delivery: WatchDelivery): Record<string, unknown> {
  return { watch_id: delivery.watchId, mode: delivery.mode, digest_size: delivery.digestSize, slack_url_hint: delivery.slackHint };
}

function toDigestJson(digest: Digest): Record<string, unknown> {
  return {
    id: digest.id,
    channel: digest.channel,
    period: digest.period,
    period_start: iso(digest.periodStart),
    period_end: iso(digest.periodEnd),
    message_id: digest.messageId,
    items: digest.items,
    ...queueRowJson(digest),
  };
}

export function mountWatchDeliveryApi(app: App): void {
  route(app, getDeliveryRoute, async (c, { params }) => {
    const delivery = await getWatchDelivery(await getDb(), watchScope(c.var.caller), params.id);
    if (delivery === undefined) throw noWatch(params.id);
    return c.json(toDeliveryJson(delivery));
  });

  route(app, updateDeliveryRoute, async (c, { params, body }) => {
    if (body.mode === undefined && body.digest_size === undefined && body.slack_url === undefined) {
      throw new ValidationError('nothing to change', { details: [{ location: 'body', field: '', message: 'must set mode, digest_size or slack_url' }] });
    }
    const patch: WatchDeliveryPatch = { mode: body.mode, digestSize: body.digest_size };
    if (body.slack_url === null) patch.slack = null;
    else if (body.slack_url !== undefined) {
      const problem = slackUrlProblem(body.slack_url);
      // The message names the rule, never the URL (a credential).
      if (problem !== undefined) throw new ValidationError(`slack_url ${problem}`, { details: [{ location: 'body', field: 'slack_url', message: problem }] });
      patch.slack = { urlSealed: sealSlackUrl(webhookKey(getConfig()), params.id, body.slack_url), urlHint: slackUrlHint(body.slack_url) };
    }
    const delivery = await updateWatchDelivery(await getDb(), watchScope(c.var.caller), params.id, patch);
    if (delivery === undefined) throw noWatch(params.id);
    return c.json(toDeliveryJson(delivery));
  });

  route(app, listDigestsRoute, async (c, { params, query }) => {
    await ownedWatch(c, params.id);
    return c.json({ items: (await listDigests(await getDb(), params.id, query.limit)).map(toDigestJson) });
  });
}
