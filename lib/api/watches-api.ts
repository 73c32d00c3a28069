// Handlers of the watches API: the caller's key scopes every call (admins see all), the filter is
// checked for the firehose rule, the feed token is generated here and returned once.
import { generateFeedToken } from '../delivery/feed-token.js';
import { feedUrls } from '../delivery/feeds/feed-urls.js';
import { watchCap } from '../delivery/watch-caps.js';
import { matchesEverything } from '../delivery/watch-filter.js';
import { getDb } from '../db/client.js';
import { createWatch, deleteWatch, getWatch, listWatches, rotateFeedToken, updateWatch, type WatchScope } from '../db/watches-repo.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { route, type App, type Caller } from '../http/index.js';
import type { Watch, WatchFilter } from '../model/watch.js';
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

/** Admins act on every watch; any other key on its own. */
function scopeOf(caller: Caller): WatchScope {
  if (caller.keyId === undefined) throw new ForbiddenError('a watch belongs to an API key');
  return { owner: caller.tier === 'admin' ? undefined : caller.keyId };
}

function checkFilter(filter: WatchFilter): void {
  if (matchesEverything(filter)) {
    throw new ValidationError('the filter would match every signal', {
      details: [{ location: 'body', field: 'filter', message: 'set min_score, or narrow by source, kind, kinds, category, q, tag or topics' }],
    });
  }
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`no watch with id ${id}`);
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
    return c.json({ ...toWatchJson(watch), feed_token: token.token, feed_urls: feedUrls(new URL(c.req.url).origin, token.token) }, 201);
  });

  route(app, listWatchesRoute, async (c) => {
    const watches = await listWatches(await getDb(), scopeOf(c.var.caller));
    return c.json({ items: watches.map(toWatchJson) });
  });

  route(app, getWatchRoute, async (c, { params }) => {
    const watch = await getWatch(await getDb(), scopeOf(c.var.caller), params.id);
    if (watch === undefined) throw notFound(params.id);
    return c.json(toWatchJson(watch));
  });

  route(app, updateWatchRoute, async (c, { params, body }) => {
    if (body.name === undefined && body.filter === undefined) {
      throw new ValidationError('nothing to change', { details: [{ location: 'body', field: '', message: 'must set name or filter' }] });
    }
    if (body.filter !== undefined) checkFilter(body.filter);
    const watch = await updateWatch(await getDb(), scopeOf(c.var.caller), params.id, { name: body.name, filter: body.filter });
    if (watch === undefined) throw notFound(params.id);
    return c.json(toWatchJson(watch));
  });

  route(app, deleteWatchRoute, async (c, { params }) => {
    if (!(await deleteWatch(await getDb(), scopeOf(c.var.caller), params.id))) throw notFound(params.id);
    return c.body(null, 204);
  });

  route(app, rotateFeedTokenRoute, async (c, { params }) => {
    const token = generateFeedToken();
    const watch = await rotateFeedToken(await getDb(), scopeOf(c.var.caller), params.id, token.hash, token.prefix);
    if (watch === undefined) throw notFound(params.id);
    return c.json({ ...toWatchJson(watch), feed_token: token.token, feed_urls: feedUrls(new URL(c.req.url).origin, token.token) });
  });

  // The watch's webhook endpoint and delivery history live in the same function.
  mountWebhooksApi(app);
  mountWatchDeliveryApi(app);
}
