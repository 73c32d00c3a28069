// The feed handler: token → watch (404 for anything unknown, rotated or revoked) and the watch's
// page of signals (one round trip on a warm container: feed-source.ts), validators from the rows,
// then a 304 without rendering, or the feed (rendered once per ETag per container: render-cache.ts).
import { hashFeedToken } from '../delivery/feed-token.js';
import { loadFeed } from '../delivery/feeds/feed-source.js';
import { feedUrls } from '../delivery/feeds/feed-urls.js';
import { renderFeed, type FeedFormat } from '../delivery/feeds/render.js';
import { renderCached } from '../delivery/feeds/render-cache.js';
import { feedValidators, notModified } from '../delivery/feeds/validators.js';
import { getDb } from '../db/client.js';
import { NotFoundError } from '../errors.js';
import { route, withTextBody, type App } from '../http/index.js';
import { FEED_FILE, getFeedRoute } from './feeds-routes.js';

/**
 * Readers poll; a CDN may answer for five minutes and serve a stale copy while it revalidates.
 * `public` is safe: the token is part of the URL, so a cache never serves one watch's feed for another's.
 */
export const FEED_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=600';

export function mountFeedsApi(app: App): void {
  route(app, getFeedRoute, async (c, { params, query }) => {
    const [, token = '', extension = ''] = FEED_FILE.exec(params.file) ?? [];
    // The params schema matched FEED_FILE already, whose second group is exactly the formats.
    const format = extension as FeedFormat;
    const hash = hashFeedToken(token);
    const source = await loadFeed(await getDb(), hash, query.limit);
    // The same answer whatever the reason, so a token cannot be probed for what it once was.
    if (source === undefined) throw new NotFoundError('no feed at this address');
    const { watch, signals } = source;
    const validators = feedValidators(format, watch, signals);
    c.header('ETag', validators.etag);
    c.header('Last-Modified', validators.lastModified.toUTCString());
    c.header('Cache-Control', FEED_CACHE_CONTROL);
    if (notModified(validators, c.req.header('if-none-match'), c.req.header('if-modified-since'))) return c.body(null, 304);
    const origin = new URL(c.req.url).origin;
    const feed = renderCached(`${validators.etag}\n${origin}\n${hash}`, () =>
      renderFeed(format, {
        name: watch.name,
        id: `${origin}/v1/watches/${watch.id}`,
        selfUrls: feedUrls(origin, token),
        homeUrl: `${origin}/v1/signals`,
        signalUrlBase: `${origin}/v1/signals`,
        updated: validators.lastModified,
      }, signals),
    );
    return withTextBody(c.body(feed.body, 200, { 'content-type': feed.contentType }), feed.body);
  });
}
