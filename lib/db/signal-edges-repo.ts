// The graph's edges: written in batches (one statement), idempotent on (from, type, target), so
// extraction may rerun over the same signals and add nothing.
import type { NewEdge } from '../model/relationship.js';
import { sql } from './sql.js';
import type { Queryable } from './types.js';

/** Adds edges; one already stored for the same (from, type, target identifier) is left as it is. Returns how many were new. */
export async function insertEdges(db: Queryable, edges: readonly NewEdge[]): Promise<number> {
  if (edges.length === 0) return 0;
  const rows = await db.query<{ id: string }>(sql`
    INSERT INTO signal_edges (from_signal_id, to_signal_id, to_identifier, type, confidence, evidence)
    SELECT e."fromSignalId"::bigint, e."toSignalId"::bigint, e."toIdentifier", e.type, e.confidence, e.evidence
    FROM jsonb_to_recordset(${JSON.stringify(edges)}::jsonb)
      AS e("fromSignalId" text, "toSignalId" text, "toIdentifier" text, type text, confidence real, evidence jsonb)
    ON CONFLICT DO NOTHING
    RETURNING id::text AS id`);
  return rows.length;
}
