// The knowledge graph's API as route specs: a signal's relationships, its neighbourhood to a depth,
// and counts by type. One schema per route validates and documents (OpenAPI).
import * as z from 'zod/mini';
import type { RouteSpec } from '../http/index.js';
import { RELATIONSHIP_TYPES, type RelationshipType } from '../model/relationship.js';
import { signalId } from './common-schemas.js';

/** `cites,implements`: known types, comma-separated, each at most once in practice (bounded list). */
const TYPE = `(?:${RELATIONSHIP_TYPES.join('|')})`;
const TYPES_PATTERN = new RegExp(`^${TYPE}(?:,${TYPE}){0,${String(RELATIONSHIP_TYPES.length - 1)}}$`);
const typesParam = z.optional(z.string().check(z.maxLength(100), z.regex(TYPES_PATTERN, `a comma-separated list of ${RELATIONSHIP_TYPES.join(', ')}`)));

/** The types a validated `types` parameter names; every type when absent. */
export function typesOf(types: string | undefined): RelationshipType[] {
  return types === undefined ? [...RELATIONSHIP_TYPES] : [...new Set(types.split(','))] as RelationshipType[];
}

/** Nodes a graph answer holds at most. */
export const MAX_GRAPH_NODES = 500;

const idParams = z.strictObject({ id: signalId });

const summarySchema = z.strictObject({
  id: z.string(),
  source: z.string(),
  kind: z.string(),
  title: z.string(),
  url: z.string(),
  published_at: z.string(),
});

export const relatedRoute = {
  method: 'get',
  path: '/v1/signals/{id}/related',
  operationId: 'relatedSignals',
  summary: "A signal's relationships: typed edges both ways, with confidence and evidence",
  description:
    '`direction` is `out` when this signal is the edge\'s source (it cites, implements, discusses or mentions the other), `in` otherwise. ' +
    'A pending edge names an artifact not harvested yet: `signal` is null and `identifier` says what it waits for.',
  tags: ['graph'],
  params: idParams,
  query: z.strictObject({
    types: typesParam,
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200)), 50),
  }),
  responses: {
    200: {
      description: 'The edges, most confident first',
      schema: z.strictObject({
        signal_id: z.string(),
        items: z.array(
          z.strictObject({
            edge_id: z.string(),
            type: z.enum(RELATIONSHIP_TYPES),
            direction: z.enum(['out', 'in']),
            confidence: z.number(),
            evidence: z.record(z.string(), z.unknown()),
            identifier: z.string(),
            pending: z.boolean(),
            signal: z.nullable(summarySchema),
          }),
        ),
      }),
    },
    404: { description: 'No such signal' },
  },
} satisfies RouteSpec;

export const graphRoute = {
  method: 'get',
  path: '/v1/signals/{id}/graph',
  operationId: 'signalGraph',
  summary: "A signal's neighbourhood: nodes and edges up to `depth` steps away, in both directions",
  description: `Breadth-first over resolved edges; at most \`max_nodes\` nodes (nearest first, at most ${String(MAX_GRAPH_NODES)}). \`truncated\` says when some were left out.`,
  tags: ['graph'],
  params: idParams,
  query: z.strictObject({
    depth: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(3)), 1),
    types: typesParam,
    max_nodes: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_GRAPH_NODES)), 200),
  }),
  responses: {
    200: {
      description: 'The graph around the signal',
      schema: z.strictObject({
        root: z.string(),
        depth: z.number(),
        types: z.array(z.enum(RELATIONSHIP_TYPES)),
        nodes: z.array(z.strictObject({ ...summarySchema.shape, depth: z.number() })),
        edges: z.array(z.strictObject({ id: z.string(), from: z.string(), to: z.string(), type: z.enum(RELATIONSHIP_TYPES), confidence: z.number() })),
        truncated: z.boolean(),
      }),
    },
    404: { description: 'No such signal' },
  },
} satisfies RouteSpec;

const countsSchema = z.strictObject({ total: z.number(), pending: z.number() });

export const relationshipStatsRoute = {
  method: 'get',
  path: '/v1/relationships/stats',
  operationId: 'relationshipStats',
  summary: 'How many relationships the graph holds, by type, and how many wait for their artifact',
  tags: ['graph'],
  responses: {
    200: {
      description: 'Counts',
      schema: z.strictObject({ total: z.number(), pending: z.number(), by_type: z.record(z.string(), countsSchema) }),
    },
  },
} satisfies RouteSpec;

export const graphRoutes = [relatedRoute, graphRoute, relationshipStatsRoute] as const;
