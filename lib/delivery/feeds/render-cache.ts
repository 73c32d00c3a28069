// Rendered feeds per container, keyed by what the body depends on: the ETag (format, the watch's
// version, every item's id and last change), the origin and the token (both in the self links).
// Readers that poll without validators get the same bytes without the XML writer's cost (~2.5 ms
// at p50 for 100 Atom items on the bench box, most of it in xml-js; several times that at p95 when
// the box is busy); a change to any item changes the ETag, so a stale body is never served.
import { TtlCache } from '../../cache/ttl-cache.js';
import { cacheHits, cacheMisses, watchCacheSize } from '../../metrics/cache-metrics.js';
import type { RenderedFeed } from './render.js';

/** A feed of 100 items is ~60–120 KB: 32 of them stay under 4 MB. */
const ENTRIES = 32;
const TTL_MS = 10 * 60_000;
const LABELS = { cache_type: 'memory', cache_name: 'feed_render' } as const;

const rendered = new TtlCache<string, RenderedFeed>({ ttlMs: TTL_MS, maxEntries: ENTRIES });
/** The gauge's estimate: entries × the last body's size (bodies of one deployment are alike). */
let lastBytes = 0;
watchCacheSize(LABELS, () => ({ items: rendered.size, bytes: rendered.size * lastBytes }));

/** The cached body for `key`, else `render()`'s, remembered. */
export function renderCached(key: string, render: () => RenderedFeed): RenderedFeed {
  const hit = rendered.get(key);
  if (hit !== undefined) {
    cacheHits.inc(LABELS);
    return hit;
  }
  cacheMisses.inc(LABELS);
  const feed = render();
  rendered.set(key, feed);
  lastBytes = Buffer.byteLength(feed.body);
  return feed;
}

/** Forgets every rendered feed (tests). */
export function clearRenderCache(): void {
  rendered.clear();
}
