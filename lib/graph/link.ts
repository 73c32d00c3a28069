// The graph-build job's linking step: for stored signals, extract their identifiers, plan the edges
// their kind and roles make (./relationships/rules.ts), store both and count what is new. Runs
// in the graph-build job (./build.ts), a batch of stored signals at a time.
import { storeSignalGraph, type EdgeRow, type IdentifierRow } from '../db/signal-identifiers-repo.js';
import type { Queryable } from '../db/types.js';
import { recordRelationships } from '../metrics/relationship-metrics.js';
import { extractIdentifiers, type IdentifierSource } from './identifiers/index.js';
import { plannedEdges } from './relationships/rules.js';

/** A stored signal as the graph reads it: its id and what extraction reads. */
export interface LinkableSignal extends IdentifierSource {
  id: string;
}

export interface LinkResult {
  identifiers: number;
  /** New edges, attached or pending. */
  edges: number;
  pending: number;
  /** Earlier pending edges that these signals completed. */
  attached: number;
}

/** The rows to store for `signals` (pure: what extraction and the rules decide). */
export function graphRows(signals: readonly LinkableSignal[]): { identifiers: IdentifierRow[]; edges: EdgeRow[] } {
  const identifiers: IdentifierRow[] = [];
  const edges: EdgeRow[] = [];
  for (const signal of signals) {
    const found = extractIdentifiers(signal);
    for (const { identifier, role } of found) identifiers.push({ signalId: signal.id, identifier, role });
    for (const edge of plannedEdges(signal.kind, found)) {
      edges.push({ fromSignalId: signal.id, identifier: edge.identifier, type: edge.type, confidence: edge.confidence, role: edge.role });
    }
  }
  return { identifiers, edges };
}

/** Extracts, stores and counts the graph of `signals` (already stored). Rerunning adds nothing. */
export async function linkSignals(db: Queryable, signals: readonly LinkableSignal[]): Promise<LinkResult> {
  const rows = graphRows(signals);
  return storeGraphRows(db, rows);
}

/** Stores rows computed earlier by graphRows. */
export async function storeGraphRows(db: Queryable, rows: ReturnType<typeof graphRows>): Promise<LinkResult> {
  const stored = await storeSignalGraph(db, rows.identifiers, rows.edges);
  recordRelationships(stored.edges);
  return {
    identifiers: rows.identifiers.length,
    edges: stored.edges.length,
    pending: stored.edges.filter((edge) => edge.pending).length,
    attached: stored.attached,
  };
}
