// Handlers of the graph API: parse (done by the route specs), repository calls, map to JSON.
import { getDb } from '../db/client.js';
import { relatedEdges, relationshipStats, signalExists, signalGraph, type SignalSummary } from '../db/signal-graph-queries.js';
import { NotFoundError } from '../errors.js';
import { route, type App } from '../http/index.js';
import { graphRoute, relatedRoute, relationshipStatsRoute, typesOf } from './graph-routes.js';

function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function summaryJson(signal: SignalSummary) {
  return { id: signal.id, source: signal.source, kind: signal.kind, title: signal.title, url: signal.url, published_at: iso(signal.publishedAt) };
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`no signal with id ${id}`);
}

export function mountGraphApi(app: App): void {
  route(app, relatedRoute, async (c, { params, query }) => {
    const db = await getDb();
    const [exists, edges] = await Promise.all([signalExists(db, params.id), relatedEdges(db, params.id, typesOf(query.types), query.limit)]);
    if (!exists) throw notFound(params.id);
    return c.json({
      signal_id: params.id,
      items: edges.map((edge) => ({
        edge_id: edge.edgeId,
        type: edge.type,
        direction: edge.direction,
        confidence: edge.confidence,
        evidence: edge.evidence,
        identifier: edge.identifier,
        pending: edge.other === null,
        signal: edge.other === null ? null : summaryJson(edge.other),
      })),
    });
  });

  route(app, graphRoute, async (c, { params, query }) => {
    const types = typesOf(query.types);
    const graph = await signalGraph(await getDb(), params.id, { depth: query.depth, types, maxNodes: query.max_nodes });
    if (!graph.nodes.some((node) => node.id === params.id)) throw notFound(params.id);
    return c.json({
      root: params.id,
      depth: query.depth,
      types,
      nodes: graph.nodes.map((node) => ({ ...summaryJson(node), depth: node.depth })),
      edges: graph.edges,
      truncated: graph.truncated,
    });
  });

  route(app, relationshipStatsRoute, async (c) => {
    const stats = await relationshipStats(await getDb());
    return c.json({ total: stats.total, pending: stats.pending, by_type: stats.byType });
  });
}
