// The graph's reads: a signal's edges with the other end's summary, its neighbourhood to a depth
// (breadth-first, one bounded statement per level, visited nodes never expanded twice, so cycles
// never loop and a hub cannot blow a level up), and counts by type.
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
  /** Every node reached, with its depth (0 = the root); undefined root → the signal does not exist. */
  nodes: Array<SignalSummary & { depth: number }>;
  edges: GraphEdge[];
  /** True when the node cap (or a level's edge cap) left something out. */
  truncated: boolean;
}

export interface GraphOptions {
  depth: number;
  types: readonly RelationshipType[];
  maxNodes: number;
}

/** The edges one level reads at most: beyond, the level is cut (a hub) and the graph says so. */
const EDGES_PER_LEVEL = 5_000;

/** The edges touching `frontier`, resolved ones only, of `types` (one statement, both directions on their indexes). */
export function levelQuery(frontier: readonly string[], types: readonly RelationshipType[], limit: number) {
  return sql`
    SELECT id::text AS id, from_signal_id::text AS "from", to_signal_id::text AS "to", type, confidence FROM signal_edges
    WHERE from_signal_id = ANY(${frontier}::bigint[]) AND to_signal_id IS NOT NULL AND type = ANY(${types}::text[])
    UNION
    SELECT id::text AS id, from_signal_id::text AS "from", to_signal_id::text AS "to", type, confidence FROM signal_edges
    WHERE to_signal_id = ANY(${frontier}::bigint[]) AND type = ANY(${types}::text[])
    LIMIT ${limit}`;
}

/** The summaries of `ids`. */
export function nodesQuery(ids: readonly string[]) {
  return sql`
    SELECT id::text AS id, source, kind, title, url, published_at AS "publishedAt" FROM signals
    WHERE id = ANY(${ids}::bigint[])`;
}

/**
 * The neighbourhood of `rootId` to `depth` levels over resolved edges, in both directions: at most
 * `maxNodes` nodes (the first reached, nearest first) and the edges among them.
 */
export async function signalGraph(db: Queryable, rootId: string, options: GraphOptions): Promise<SignalGraph> {
  if (!isSignalId(rootId)) return { nodes: [], edges: [], truncated: false };
  const depthOf = new Map<string, number>([[rootId, 0]]);
  const edges = new Map<string, GraphEdge>();
  let frontier = [rootId];
  let truncated = false;
  for (let level = 1; level <= options.depth && frontier.length > 0; level++) {
    const rows = await db.query<GraphEdge>(levelQuery(frontier, options.types, EDGES_PER_LEVEL + 1));
    if (rows.length > EDGES_PER_LEVEL) truncated = true;
    const next: string[] = [];
    for (const edge of rows.slice(0, EDGES_PER_LEVEL)) {
      for (const end of [edge.from, edge.to]) {
        if (depthOf.has(end)) continue;
        if (depthOf.size >= options.maxNodes) {
          truncated = true;
          continue;
        }
        depthOf.set(end, level);
        next.push(end);
      }
      if (depthOf.has(edge.from) && depthOf.has(edge.to)) edges.set(edge.id, edge);
    }
    frontier = next;
  }
  const nodes = await db.query<SignalSummary>(nodesQuery([...depthOf.keys()]));
  return {
    nodes: nodes.map((node) => ({ ...node, depth: depthOf.get(node.id) ?? 0 })).sort((a, b) => a.depth - b.depth || Number(BigInt(a.id) - BigInt(b.id))),
    edges: [...edges.values()].sort((a, b) => Number(BigInt(a.id) - BigInt(b.id))),
    truncated,
  };
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
