// The signals API as route specs: one schema per route validates requests and documents them.
import * as z from 'zod/mini';
import { SIGNAL_SORTS } from '../db/signals-types.js';
import { SIGNAL_KINDS, SIGNAL_STATUSES } from '../model/signal.js';
import type { RouteSpec } from '../http/index.js';
import { cursorParam, isoDateTime, pageLimit, score, signalId } from './common-schemas.js';
import { signalPageSchema, signalSchema } from './signal-json.js';
import { signalDetailSchema } from './signal-mentions.js';

const tag = z.string().check(z.minLength(1), z.maxLength(64));

export const listSignalsRoute = {
  method: 'get',
  path: '/v1/signals',
  operationId: 'listSignals',
  summary: 'List signals, filtered and sorted, one keyset page at a time',
  tags: ['signals'],
  query: z.strictObject({
    source: z.optional(z.string().check(z.regex(/^[a-z0-9_]{1,32}$/))),
    kind: z.optional(z.enum(SIGNAL_KINDS)),
    category: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    status: z.optional(z.enum(SIGNAL_STATUSES)),
    min_score: z.optional(score),
    since: z.optional(isoDateTime),
    until: z.optional(isoDateTime),
    q: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    tag: z.optional(z.array(tag).check(z.maxLength(10))),
    sort: z._default(z.enum(SIGNAL_SORTS), 'score'),
    order: z._default(z.enum(['asc', 'desc']), 'desc'),
    limit: pageLimit,
    cursor: cursorParam,
  }),
  responses: { 200: { description: 'A page of signals and the cursor of the next one', schema: signalPageSchema } },
} satisfies RouteSpec;

export const signalStatsRoute = {
  method: 'get',
  path: '/v1/signals/stats',
  operationId: 'signalStats',
  summary: 'Counts by source, category and status, and score percentiles',
  tags: ['signals'],
  responses: {
    200: {
      description: 'Statistics over all signals',
      schema: z.strictObject({
        total: z.number(),
        by_source: z.record(z.string(), z.number()),
        by_category: z.record(z.string(), z.number()),
        by_status: z.record(z.string(), z.number()),
        score: z.strictObject({ p50: z.nullable(z.number()), p90: z.nullable(z.number()), p99: z.nullable(z.number()) }),
      }),
    },
  },
} satisfies RouteSpec;

const idParams = z.strictObject({ id: signalId });

/** What a route about one signal answers: the signal, or 404 when there is none with that id. */
function oneSignal(description: string) {
  return { 200: { description, schema: signalSchema }, 404: { description: 'No such signal' } };
}

export const getSignalRoute = {
  method: 'get',
  path: '/v1/signals/{id}',
  operationId: 'getSignal',
  summary: 'One signal, with every report of its story (its near-duplicate group)',
  tags: ['signals'],
  params: idParams,
  responses: {
    200: { description: 'The signal and `mentions`: the members of its duplicate group, earliest first (itself alone when none)', schema: signalDetailSchema },
    404: { description: 'No such signal' },
  },
} satisfies RouteSpec;

export const updateSignalRoute = {
  method: 'patch',
  path: '/v1/signals/{id}',
  operationId: 'updateSignal',
  summary: 'Change the status or tags of a signal',
  tags: ['signals'],
  tier: 'api_key',
  params: idParams,
  body: z.strictObject({
    status: z.optional(z.enum(SIGNAL_STATUSES)),
    tags: z.optional(z.array(tag).check(z.maxLength(32))),
  }),
  responses: oneSignal('The updated signal'),
} satisfies RouteSpec;

export const archiveSignalRoute = {
  method: 'delete',
  path: '/v1/signals/{id}',
  operationId: 'archiveSignal',
  summary: 'Archive a signal (it is kept, with status archived)',
  tags: ['signals'],
  tier: 'admin',
  params: idParams,
  responses: oneSignal('The archived signal'),
} satisfies RouteSpec;

export const listDiscoveriesRoute = {
  method: 'get',
  path: '/v1/discoveries',
  operationId: 'listDiscoveries',
  summary: 'Artifacts (preprints, repositories, releases) by discovery score',
  tags: ['signals'],
  query: z.strictObject({ min_score: z.optional(score), limit: pageLimit, cursor: cursorParam }),
  responses: { 200: { description: 'A page of discoveries', schema: signalPageSchema } },
} satisfies RouteSpec;

export const signalsRoutes = [
  listSignalsRoute,
  signalStatsRoute,
  getSignalRoute,
  updateSignalRoute,
  archiveSignalRoute,
  listDiscoveriesRoute,
] as const;
