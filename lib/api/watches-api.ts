// Handlers of the watches API: the caller's key scopes every call (admins see all), the filter is
// checked for the firehose rule, the feed token is generated here and returned once.
import type { Context } from 'hono';
import { generateFeedToken } from '../delivery/feed-token.js';
import { feedUrls } from '../delivery/feeds/feed-urls.js';
import { watchCap } from '../delivery/watch-caps.js';
import { matchesEverything } from '../delivery/watch-filter.js';
import { getDb } from '../db/client.js';
import { createWatch, deleteWatch, listWatches, rotateFeedToken, updateWatch } from '../db/watches-repo.js';
import { ForbiddenError, ValidationError } from '../errors.js';
import { route, type App, type AppEnv } from '../http/index.js';
import type { Watch, WatchFilter } from '../model/watch.js';
import { noWatch, ownedWatch, watchScope } from './owned-watch.js';
import { mountWatchDeliveryApi } from './watch-delivery-api.js';
import { mountWebhooksApi } from './webhooks-api.js';
import {
  createWatchRoute,
  deleteWatchRoute,
  getWatchRoute,
  listWatchesRoute,
  rotateFeedTokenRoute,
  updateWatchRoute,
} from './watches-routes.js';

export interface WatchJson {
  id: string;
  name: string;
  filter: WatchFilter;
  feed_token_prefix: string;
  created_at: string;
  updated_at: string;
}

export function toWatchJson(watch: Watch): WatchJson {
  return {
    id: watch.id,
    name: watch.name,
    filter: watch.filter,
    feed_token_prefix: watch.feedTokenPrefix,
    created_at: watch.createdAt.toISOString(),
    updated_at: watch.updatedAt.toISOString(),
  };
}

function checkFilter(filter: WatchFilter): void {
  if (matchesEverything(filter)) {
    throw new ValidationError('the filter would match every signal', {
      details: [{ location: 'body', field: 'filter', message: 'set min_score, or narrow by source, kind, kinds, category, q, tag or topics' }],
    });
  }
}

/** A watch with its new feed token and feed URLs (create and rotation only). */
function withFeedToken(c: Context<AppEnv>, watch: Watch, token: string): Record<string, unknown> {
  return { ...toWatchJson(watch), feed_token: token, feed_urls: feedUrls(new URL(c.req.url).origin, token) };
}

export function mountWatchesApi(app: App): void {
  route(app, createWatchRoute, async (c, { body }) => {
    checkFilter(body.filter);
    const { caller } = c.var;
    if (caller.keyId === undefined) throw new ForbiddenError('a watch belongs to an API key');
    const token = generateFeedToken();
    const cap = watchCap(caller.tier);
    const watch = await createWatch(
      await getDb(),
      { ownerKeyId: caller.keyId, name: body.name, filter: body.filter, feedTokenHash: token.hash, feedTokenPrefix: token.prefix },
      cap,
    );
    if (watch === undefined) throw new ForbiddenError(`this key already has ${String(cap)} watches, the most its tier (${caller.tier}) allows`);
    return c.json(withFeedToken(c, watch, token.token), 201);
  });

  route(app, listWatchesRoute, async (c) => {
    const watches = await listWatches(await getDb(), watchScope(c.var.caller));
    return c.json({ items: watches.map(toWatchJson) });
  });

  route(app, getWatchRoute, async (c, { params }) => c.json(toWatchJson(await ownedWatch(c, params.id))));

  route(app, updateWatchRoute, async (c, { params, body }) => {
    if (body.name === undefined && body.filter === undefined) {
      throw new ValidationError('nothing to change', { details: [{ location: 'body', field: '', message: 'must set name or filter' }] });
    }
    if (body.filter !== undefined) checkFilter(body.filter);
    const watch = await updateWatch(await getDb(), watchScope(c.var.caller), params.id, { name: body.name, filter: body.filter });
    if (watch === undefined) throw noWatch(params.id);
    return c.json(toWatchJson(watch));
  });

  route(app, deleteWatchRoute, async (c, { params }) => {
    if (!(await deleteWatch(await getDb(), watchScope(c.var.caller), params.id))) throw noWatch(params.id);
    return c.body(null, 204);
  });

  route(app, rotateFeedTokenRoute, async (c, { params }) => {
    const token = generateFeedToken();
    const watch = await rotateFeedToken(await getDb(), watchScope(c.var.caller), params.id, token.hash, token.prefix);
    if (watch === undefined) throw noWatch(params.id);
    return c.json(withFeedToken(c, watch, token.token));
  });

  // The watch's webhook endpoint and delivery history live in the same function.
  mountWebhooksApi(app);
  mountWatchDeliveryApi(app);
}
