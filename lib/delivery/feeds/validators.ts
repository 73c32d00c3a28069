// HTTP validators of a feed, so a reader polling every few minutes mostly gets a 304: the ETag is a
// hash of what the feed shows (format, the watch's version, each item's id and last change), worked
// out from the page query's rows before anything is rendered; Last-Modified is the newest of those
// changes. A 304 therefore costs the query but neither rendering nor the body's bytes.
import { createHash } from 'node:crypto';
import type { Signal } from '../../model/signal.js';
import type { Watch } from '../../model/watch.js';
import type { FeedFormat } from './render.js';

export interface FeedValidators {
  /** A strong ETag, quoted. */
  etag: string;
  /** The newest change shown, whole seconds (HTTP dates have no fraction). */
  lastModified: Date;
}

export function feedValidators(format: FeedFormat, watch: Watch, signals: readonly Signal[]): FeedValidators {
  const hash = createHash('sha256').update(`${format}\n${watch.id}\n${watch.updatedAt.toISOString()}\n`);
  let newest = watch.updatedAt.getTime();
  for (const signal of signals) {
    hash.update(`${signal.id}:${signal.updatedAt.toISOString()}\n`);
    newest = Math.max(newest, signal.updatedAt.getTime());
  }
  return { etag: `"${hash.digest('base64url').slice(0, 27)}"`, lastModified: new Date(Math.floor(newest / 1000) * 1000) };
}

/**
 * Whether a conditional GET may be answered 304 (RFC 9110 §13.2.2): If-None-Match wins when
 * present (any listed tag, weak or strong, or `*`); otherwise If-Modified-Since at or after
 * Last-Modified.
 */
export function notModified(validators: FeedValidators, ifNoneMatch: string | undefined, ifModifiedSince: string | undefined): boolean {
  if (ifNoneMatch !== undefined) {
    const tags = ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(validators.etag);
  }
  if (ifModifiedSince !== undefined) {
    const since = Date.parse(ifModifiedSince);
    return Number.isFinite(since) && validators.lastModified.getTime() <= since;
  }
  return false;
}
