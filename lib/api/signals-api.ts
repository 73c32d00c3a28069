// Handlers of the signals API: parse (done by the route specs), one repository call, map to JSON.
// The reads wait on the database no longer than the request's deadline (a 503 then); the writes
// are left to finish, since a 503 for a write that then commits would tell the client a lie.
import type * as z from 'zod/mini';
import { abortable } from '../db/abortable.js';
import { getConfig } from '../config.js';
import { getDb } from '../db/client.js';
import type { Queryable } from '../db/types.js';
import {
  archiveSignal,
  getSignal,
  listDiscoveriesJson,
  listSignalsJson,
  signalStats,
  updateSignal,
  type ListDiscoveriesOptions,
  type ListSignalsOptions,
  type SignalCursor,
} from '../db/signals-repo.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { route, withTextBody, type App } from '../http/index.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { createStatsCache, type StatsCache } from './stats-cache.js';
import { signalPageText, toSignalJson } from './signal-json.js';
import { signalDetailJson } from './signal-mentions.js';
import {
  archiveSignalRoute,
  getSignalRoute,
  listDiscoveriesRoute,
  listSignalsRoute,
  signalStatsRoute,
  updateSignalRoute,
} from './signals-routes.js';

/**
 * Score orderings page on decay keys (lib/harvest/score/rank.ts), so their cursors name the key:
 * a cursor issued for the stored scores of old is refused, not misread as a key.
 */
export const DISCOVERY_ORDERING = 'discovery_rank:desc';
/** What `c.json` sets; the list pages are JSON text already (see signalPageText). */
const JSON_CONTENT = { 'content-type': 'application/json' } as const;

export function nextCursor(ordering: string, next: SignalCursor | undefined): string | null {
  return next === undefined ? null : encodeCursor({ ordering, value: next.value, id: next.id });
}

/** The database, its queries abandoned at the request's deadline. */
export async function readDb(signal: AbortSignal): Promise<Queryable> {
  return abortable(await getDb(), signal);
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`no signal with id ${id}`);
}

let statsCache: StatsCache | undefined;

/** The container's stats cache, made on first use (its TTL from the configuration). */
function cachedStats(): StatsCache {
  statsCache ??= createStatsCache({ ttlMs: getConfig().STATS_CACHE_TTL_MS, load: async () => signalStats(await getDb()) });
  return statsCache;
}

/** Forgets the container's stats cache and its TTL (tests). */
export function resetStatsCache(): void {
  statsCache = undefined;
}

export type ListSignalsQuery = z.output<typeof listSignalsRoute.query>;

/** The ordering a list query's cursors are issued for (sort=score pages on the decay key). */
export function listOrdering(query: Pick<ListSignalsQuery, 'sort' | 'order'>): string {
  return `${query.sort === 'score' ? 'rank' : query.sort}:${query.order}`;
}

/**
 * What the repository is asked for a validated list query, cursor decoded (a bad one is a 400):
 * the one mapping the JSON list and the web dashboard's signals page share.
 */
export function listSignalsOptions(query: ListSignalsQuery): ListSignalsOptions {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, listOrdering(query));
  return {
    source: query.source,
    kind: query.kind,
    category: query.category,
    status: query.status,
    minScore: query.min_score,
    since: query.since === undefined ? undefined : new Date(query.since),
    until: query.until === undefined ? undefined : new Date(query.until),
    q: query.q,
    tags: query.tag,
    sort: query.sort,
    order: query.order,
    limit: query.limit,
    after,
  };
}

export type ListDiscoveriesQuery = z.output<typeof listDiscoveriesRoute.query>;

/** What the repository is asked for a validated discoveries query (shared with the web dashboard). */
export function listDiscoveriesOptions(query: ListDiscoveriesQuery): ListDiscoveriesOptions {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, DISCOVERY_ORDERING);
  return { minScore: query.min_score, limit: query.limit, after };
}

export function mountSignalsApi(app: App): void {
  route(app, listSignalsRoute, async (c, { query }) => {
    const page = await listSignalsJson(await readDb(c.var.deadline.signal), listSignalsOptions(query));
    const text = signalPageText(page.items, nextCursor(listOrdering(query), page.next));
    return withTextBody(c.body(text, 200, JSON_CONTENT), text);
  });

  route(app, signalStatsRoute, async (c) => {
    const { stats, ageMs } = await cachedStats().get();
    const ttlS = Math.floor(getConfig().STATS_CACHE_TTL_MS / 1000);
    const ageS = Math.floor(ageMs / 1000);
    if (ttlS > 0) {
      c.header('Cache-Control', `public, max-age=${String(Math.max(0, ttlS - ageS))}`);
      c.header('Age', String(ageS));
    }
    return c.json({
      total: stats.total,
      by_source: stats.bySource,
      by_category: stats.byCategory,
      by_status: stats.byStatus,
      score: stats.score,
    });
  });

  route(app, getSignalRoute, async (c, { params }) => {
    const db = await readDb(c.var.deadline.signal);
    const signal = await getSignal(db, params.id);
    if (signal === undefined) throw notFound(params.id);
    return c.json(await signalDetailJson(db, signal));
  });

  route(app, updateSignalRoute, async (c, { params, body }) => {
    if (body === undefined || (body.status === undefined && body.tags === undefined)) {
      throw new ValidationError('nothing to change', { details: [{ location: 'body', field: '', message: 'must set status or tags' }] });
    }
    const signal = await updateSignal(await getDb(), params.id, { status: body.status, tags: body.tags });
    if (signal === undefined) throw notFound(params.id);
    return c.json(toSignalJson(signal));
  });

  route(app, archiveSignalRoute, async (c, { params }) => {
    const signal = await archiveSignal(await getDb(), params.id);
    if (signal === undefined) throw notFound(params.id);
    return c.json(toSignalJson(signal));
  });

  route(app, listDiscoveriesRoute, async (c, { query }) => {
    const page = await listDiscoveriesJson(await readDb(c.var.deadline.signal), listDiscoveriesOptions(query));
    const text = signalPageText(page.items, nextCursor(DISCOVERY_ORDERING, page.next));
    return withTextBody(c.body(text, 200, JSON_CONTENT), text);
  });
}
