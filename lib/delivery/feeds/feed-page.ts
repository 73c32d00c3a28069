// The signals a watch's feed shows: the signals page query (the one GET /v1/signals runs) with the
// watch's filter, newest harvested first, so a reader sees each signal when it arrives whatever
// its published date.
import { listSignals } from '../../db/signals-repo.js';
import type { Sql } from '../../db/sql.js';
import type { Queryable } from '../../db/types.js';
import type { Signal } from '../../model/signal.js';
import type { Watch } from '../../model/watch.js';
import { toSignalFilter } from '../watch-filter.js';

/** Items per feed unless the URL asks for another number (1–100). */
export const DEFAULT_FEED_ITEMS = 50;
export const MAX_FEED_ITEMS = 100;

/** `extra` narrows the page further (the cached look-up's guard, feed-source.ts). */
export async function feedSignals(db: Queryable, watch: Watch, limit: number = DEFAULT_FEED_ITEMS, extra: readonly Sql[] = []): Promise<Signal[]> {
  const page = await listSignals(db, { ...toSignalFilter(watch.filter), sort: 'fetched_at', order: 'desc', limit }, extra);
  return page.items;
}
