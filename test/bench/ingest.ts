// Harvest ingest on real Postgres through the Neon driver: the pipeline's batched upsert (alone, as
// discover runs it, and followed by the graph-build job's pass) against plain one-by-one INSERTs of
// the same 20,000 items, each in its own process (see ingest-child.ts).
import { runChild } from './child.js';
import type { IngestMode, IngestResult } from './ingest-child.js';

export type { IngestResult };

function measure(mode: IngestMode): Promise<IngestResult> {
  return runChild<IngestResult>(`./ingest-child.ts`, { timeoutMs: 300_000, args: [mode] });
}

export interface IngestMeasures {
  /** What discover does: classify, score, upsert, near-duplicates. */
  ingest: IngestResult;
  /** The ingest, then the graph-build job's pass over the same items (timed as one). */
  withGraph: IngestResult;
  rowByRow: IngestResult;
}

export async function measureIngest(): Promise<IngestMeasures> {
  const ingest = await measure('ingest');
  const withGraph = await measure('ingest-graph');
  const rowByRow = await measure('row-by-row');
  return { ingest, withGraph, rowByRow };
}
