// The graph's writes at ingest: a batch of signals' identifiers and the edges they make, in two
// statements whatever the batch size. Idempotent: a rerun over the same signals adds nothing.
//   1. store the identifiers, and attach the pending edges that waited for the batch's own
//      ('self') identifiers — to_signal_id was NULL, to_identifier names the new signal;
//   2. store the edges, each resolved to the signal that is its identifier (the lowest id if
//      several are), else left pending against the identifier.
import type { Identifier, RelationshipType } from '../model/relationship.js';
import { sql } from './sql.js';
import type { Queryable } from './types.js';

export interface IdentifierRow {
  signalId: string;
  identifier: Identifier;
  /** lib/graph/identifiers/index.ts IDENTIFIER_ROLES. */
  role: string;
}

export interface EdgeRow {
  fromSignalId: string;
  identifier: Identifier;
  type: RelationshipType;
  confidence: number;
  /** How the signal carries the identifier: kept in the evidence. */
  role: string;
}

export interface StoredGraph {
  /** Edges new in this call, as stored (resolved or pending). */
  edges: Array<{ type: RelationshipType; confidence: number; pending: boolean }>;
  /** Pending edges (of earlier signals) attached to a signal of this batch. */
  attached: number;
}

/** Stores identifiers and edges of a batch of stored signals; see the module comment for the order. */
export async function storeSignalGraph(db: Queryable, identifiers: readonly IdentifierRow[], edges: readonly EdgeRow[]): Promise<StoredGraph> {
  let attached = 0;
  if (identifiers.length > 0) {
    const rows = await db.query<{ attached: number }>(sql`
      WITH batch AS (
        SELECT i."signalId"::bigint AS signal_id, i.identifier, i.role
        FROM jsonb_to_recordset(${JSON.stringify(identifiers)}::jsonb) AS i("signalId" text, identifier text, role text)
      ), stored AS (
        INSERT INTO signal_identifiers (signal_id, identifier, role)
        SELECT signal_id, identifier, role FROM batch
        ON CONFLICT (signal_id, identifier) DO UPDATE SET role = EXCLUDED.role
        WHERE signal_identifiers.role IS DISTINCT FROM EXCLUDED.role
      ), attach AS (
        UPDATE signal_edges e SET to_signal_id = target.signal_id
        FROM (SELECT identifier, min(signal_id) AS signal_id FROM batch WHERE role = 'self' GROUP BY identifier) target
        WHERE e.to_signal_id IS NULL AND e.to_identifier = target.identifier AND e.from_signal_id <> target.signal_id
        RETURNING 1
      )
      SELECT count(*)::int AS attached FROM attach`);
    attached = rows[0]?.attached ?? 0;
  }
  if (edges.length === 0) return { edges: [], attached };
  const stored = await db.query<{ type: RelationshipType; confidence: number; pending: boolean }>(sql`
    INSERT INTO signal_edges (from_signal_id, to_signal_id, to_identifier, type, confidence, evidence)
    SELECT e."fromSignalId"::bigint, target.signal_id, e.identifier, e.type, e.confidence,
           jsonb_build_object('identifier', e.identifier, 'role', e.role)
    FROM jsonb_to_recordset(${JSON.stringify(edges)}::jsonb)
      AS e("fromSignalId" text, identifier text, type text, confidence real, role text)
    LEFT JOIN LATERAL (
      SELECT s.signal_id FROM signal_identifiers s
      WHERE s.identifier = e.identifier AND s.role = 'self' AND s.signal_id <> e."fromSignalId"::bigint
      ORDER BY s.signal_id LIMIT 1
    ) target ON true
    ON CONFLICT DO NOTHING
    RETURNING type, confidence, to_signal_id IS NULL AS pending`);
  return { edges: stored, attached };
}

/**
 * Attaches every pending edge whose identifier some signal now is: a repair for edges written
 * while the signal they name was being stored by a concurrent writer (the backfill runs it).
 */
export async function attachPendingEdges(db: Queryable): Promise<number> {
  const rows = await db.query<{ attached: number }>(sql`
    WITH attach AS (
      UPDATE signal_edges e
      SET to_signal_id = (
        SELECT min(s.signal_id) FROM signal_identifiers s
        WHERE s.identifier = e.to_identifier AND s.role = 'self' AND s.signal_id <> e.from_signal_id)
      WHERE e.to_signal_id IS NULL AND EXISTS (
        SELECT 1 FROM signal_identifiers s
        WHERE s.identifier = e.to_identifier AND s.role = 'self' AND s.signal_id <> e.from_signal_id)
      RETURNING 1
    )
    SELECT count(*)::int AS attached FROM attach`);
  return rows[0]?.attached ?? 0;
}
