// The entities API as route specs: search entities by name, and one entity with its aliases per
// source and the signals that name it (a merged entity says which entity it now is).
import * as z from 'zod/mini';
import { ENTITY_KINDS } from '../model/entity.js';
import { SOURCE_NAMES } from '../model/sources.js';
import type { RouteSpec } from '../http/index.js';
import { cursorParam, pageLimit } from './common-schemas.js';

/** Entity ids are positive bigints, sent as strings (like signal ids). */
export const entityId = z.string().check(z.regex(/^[1-9][0-9]{0,17}$/));

/** Longest search text: a name, not a document. */
export const MAX_Q_CHARS = 200;

const aliasSummary = z.strictObject({ source: z.enum(SOURCE_NAMES), handle: z.string(), url: z.nullable(z.string()) });

export const entitySummarySchema = z.strictObject({
  id: z.string(),
  kind: z.enum(ENTITY_KINDS),
  name: z.string(),
  aliases: z.array(aliasSummary),
  signal_count: z.number(),
  created_at: z.string(),
});

export const listEntitiesRoute = {
  method: 'get',
  path: '/v1/entities',
  operationId: 'listEntities',
  summary: 'Entities (people, organisations, repositories), newest first; `q` matches every word of a name or handle',
  description:
    '`q` is compared with the aliases\' names and handles after folding case, accents and punctuation ' +
    '(`ana_ribeiro`, `Ana Ribeiro` and `anaribeiro` all match Ana Ribeiro). Merged entities are left out: their aliases belong to the entity they were merged into.',
  tags: ['entities'],
  query: z.strictObject({
    q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_Q_CHARS))),
    kind: z.optional(z.enum(ENTITY_KINDS)),
    limit: pageLimit,
    cursor: cursorParam,
  }),
  responses: {
    200: { description: 'A page of entities and the cursor of the next one', schema: z.strictObject({ items: z.array(entitySummarySchema), next_cursor: z.nullable(z.string()) }) },
  },
} satisfies RouteSpec;

export const entityAliasSchema = z.strictObject({
  id: z.string(),
  source: z.enum(SOURCE_NAMES),
  handle: z.string(),
  name: z.nullable(z.string()),
  url: z.nullable(z.string()),
  affiliation: z.nullable(z.string()),
  /** The entity the alias was first resolved to (a merge moved it here when it differs). */
  origin_entity_id: z.string(),
  created_at: z.string(),
});

export const entitySignalSchema = z.strictObject({
  id: z.string(),
  source: z.enum(SOURCE_NAMES),
  kind: z.string(),
  title: z.string(),
  url: z.string(),
  published_at: z.string(),
  roles: z.array(z.string()),
  via: z.array(z.strictObject({ source: z.enum(SOURCE_NAMES), handle: z.string() })),
});

export const getEntityRoute = {
  method: 'get',
  path: '/v1/entities/{id}',
  operationId: 'getEntity',
  summary: 'One entity: its aliases grouped by source and the signals that name it, newest first',
  description:
    'A merged entity answers 200 with `merged_into` (the entity it was merged into) and `current_id` (the entity its aliases ' +
    'and signals belong to now, at the end of any chain of merges); its `aliases` and `signals` are then empty: ask for `current_id`.',
  tags: ['entities'],
  params: z.strictObject({ id: entityId }),
  query: z.strictObject({ signals_limit: pageLimit, signals_cursor: cursorParam }),
  responses: {
    200: {
      description: 'The entity',
      schema: z.strictObject({
        id: z.string(),
        kind: z.enum(ENTITY_KINDS),
        name: z.string(),
        created_at: z.string(),
        merged_into: z.nullable(z.string()),
        current_id: z.string(),
        aliases: z.record(z.string(), z.array(entityAliasSchema)),
        signals: z.array(entitySignalSchema),
        next_signals_cursor: z.nullable(z.string()),
      }),
    },
    404: { description: 'No such entity' },
  },
} satisfies RouteSpec;

/** In mounting order. */
export const entitiesRoutes = [listEntitiesRoute, getEntityRoute] as const;
