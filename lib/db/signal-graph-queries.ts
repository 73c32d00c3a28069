// The graph's reads: a signal's edges with the other end's summary, its neighbourhood to a depth
// (one recursive statement bounded by the depth, so cycles never loop; node cap), and counts by type.
import type { RelationshipType } from '../model/relationship.js';
import { isSignalId } from './ids.js';
import { sql } from './sql.js';
import type { Queryable } from './types.js';

export interface SignalSummary {
  id: string;
  source: string;
  kind: string;
  title: string;
  url: string;
  publishedAt: Date;
}

export interface RelatedEdge {
  edgeId: string;
  type: RelationshipType;
  direction: 'out' | 'in';
  confidence: number;
  evidence: Record<string, unknown>;
  /** What the edge points at (the identifier of the target, seen from its source). */
  identifier: string;
  /** The signal at the other end; null while the edge is pending. */
  other: SignalSummary | null;
}

const SUMMARY = sql`o.id::text AS "otherId", o.source, o.kind, o.title, o.url, o.published_at AS "publishedAt"`;

type RelatedRow = Omit<RelatedEdge, 'other'> & { otherId: string | null } & Omit<SignalSummary, 'id'>;

/** Whether a signal with `id` is stored. */
export async function signalExists(db: Queryable, id: string): Promise<boolean> {
  if (!isSignalId(id)) return false;
  const rows = await db.query(sql`SELECT 1 FROM signals WHERE id = ${id}::bigint`);
  return rows.length > 0;
}

/** A signal's edges both ways, of `types`, most confident first, at most `limit`. */
export async function relatedEdges(db: Queryable, id: string, types: readonly RelationshipType[], limit: number): Promise<RelatedEdge[]> {
  if (!isSignalId(id)) return [];
  const rows = await db.query<RelatedRow>(sql`
    SELECT e.id::text AS "edgeId", e.type, e.confidence, e.evidence, e.to_identifier AS identifier, e.direction, ${SUMMARY}
    FROM (
      (SELECT *, 'out' AS direction, to_signal_id AS other FROM signal_edges
       WHERE from_signal_id = ${id}::bigint AND type = ANY(${types}::text[]) ORDER BY confidence DESC, id LIMIT ${limit})
      UNION ALL
      (SELECT *, 'in' AS direction, from_signal_id AS other FROM signal_edges
       WHERE to_signal_id = ${id}::bigint AND type = ANY(${types}::text[]) ORDER BY confidence DESC, id LIMIT ${limit})
    ) e
    LEFT JOIN signals o ON o.id = e.other
    ORDER BY e.confidence DESC, e.id
    LIMIT ${limit}`);
  return rows.map(({ otherId, source, kind, title, url, publishedAt, ...edge }) => ({
    ...edge,
    other: otherId === null ? null : { id: otherId, source, kind, title, url, publishedAt },
  }));
}

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  type: RelationshipType;
  confidence: number;
}

export interface SignalGraph {
  /** Every node kept, with its depth (0 = the root), nearest first; empty when the root does not exist. */
  nodes: Array<SignalSummary & { depth: number }>;
  edges: GraphEdge[];
  /** True when the node cap left some reached node out. */
  truncated: boolean;
}

export interface GraphOptions {
  depth: number;
  types: readonly RelationshipType[];
  maxNodes: number;
}

/**
 * The whole traversal in one statement (one round trip): a recursive walk over resolved edges in
 * both directions, bounded by `depth` (so a cycle ends there: UNION keeps each (node, depth) once),
 * each node at its nearest depth, the nearest `maxNodes + 1` kept (one more says "truncated"), and
 * the edges among them. Measured against one statement per level (breadth-first with a visited
 * set, ~4 round trips): twice as fast at depth 3 on 100k signals / 300k edges (npm run bench -- graph).
 */
export function graphStatement(rootId: string, options: GraphOptions) {
  return sql`
    WITH RECURSIVE walk(id, depth) AS (
      SELECT ${rootId}::bigint, 0
      UNION
      SELECT next.id, w.depth + 1
      FROM walk w CROSS JOIN LATERAL (
        -- Both directions, each on its own index (an OR join would scan both into one bitmap per row).
        SELECT e.to_signal_id AS id FROM signal_edges e
        WHERE e.from_signal_id = w.id AND e.to_signal_id IS NOT NULL AND e.type = ANY(${options.types}::text[])
        UNION ALL
        SELECT e.from_signal_id FROM signal_edges e
        WHERE e.to_signal_id = w.id AND e.type = ANY(${options.types}::text[])
      ) next
      WHERE w.depth < ${options.depth}
    ), kept AS (
      SELECT id, min(depth) AS depth FROM walk GROUP BY id ORDER BY min(depth), id LIMIT ${options.maxNodes + 1}
    )
    SELECT
      (SELECT coalesce(json_agg(json_build_object(
         'id', s.id::text, 'source', s.source, 'kind', s.kind, 'title', s.title, 'url', s.url,
         'publishedAt', s.published_at, 'depth', k.depth) ORDER BY k.depth, s.id), '[]'::json)
       FROM kept k JOIN signals s ON s.id = k.id) AS nodes,
      (SELECT coalesce(json_agg(json_build_object(
         'id', e.id::text, 'from', e.from_signal_id::text, 'to', e.to_signal_id::text, 'type', e.type, 'confidence', e.confidence) ORDER BY e.id), '[]'::json)
       FROM signal_edges e
       WHERE e.from_signal_id IN (SELECT id FROM kept) AND e.to_signal_id IN (SELECT id FROM kept)
         AND e.type = ANY(${options.types}::text[])) AS edges`;
}

type JsonValue<T> = T | string;

/** json columns arrive parsed on one driver and as text on another: read both. */
function parsed<T>(value: JsonValue<T>): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/**
 * The neighbourhood of `rootId` to `depth` levels over resolved edges, in both directions: at most
 * `maxNodes` nodes (the nearest) and the edges among them.
 */
export async function signalGraph(db: Queryable, rootId: string, options: GraphOptions): Promise<SignalGraph> {
  if (!isSignalId(rootId)) return { nodes: [], edges: [], truncated: false };
  const [row] = await db.query<{ nodes: JsonValue<Array<SignalSummary & { depth: number }>>; edges: JsonValue<GraphEdge[]> }>(graphStatement(rootId, options));
  const reached = row === undefined ? [] : parsed(row.nodes);
  const nodes = reached.slice(0, options.maxNodes).map((node) => ({ ...node, publishedAt: new Date(node.publishedAt) }));
  const kept = new Set(nodes.map((node) => node.id));
  const edges = (row === undefined ? [] : parsed(row.edges)).filter((edge) => kept.has(edge.from) && kept.has(edge.to));
  return { nodes, edges, truncated: reached.length > options.maxNodes };
}

export interface RelationshipStats {
  total: number;
  pending: number;
  byType: Record<string, { total: number; pending: number }>;
}

/** Edge counts by type, and how many wait for their artifact. */
export async function relationshipStats(db: Queryable): Promise<RelationshipStats> {
  const rows = await db.query<{ type: string; total: number; pending: number }>(sql`
    SELECT type, count(*)::int AS total, count(*) FILTER (WHERE to_signal_id IS NULL)::int AS pending
    FROM signal_edges GROUP BY type ORDER BY type`);
  const byType: RelationshipStats['byType'] = {};
  for (const row of rows) byType[row.type] = { total: row.total, pending: row.pending };
  return { total: rows.reduce((sum, row) => sum + row.total, 0), pending: rows.reduce((sum, row) => sum + row.pending, 0), byType };
}
