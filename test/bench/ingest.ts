// Harvest ingest on real Postgres through the Neon driver: the pipeline's batched upsert against
// plain one-by-one INSERTs of the same 20,000 items, each side in its own process (see ingest-child.ts).
import { runChild } from './child.js';
import type { IngestMode, IngestResult } from './ingest-child.js';

export type { IngestResult };

function measure(mode: IngestMode): Promise<IngestResult> {
  return runChild<IngestResult>(`./ingest-child.ts`, { timeoutMs: 300_000, args: [mode] });
}

export async function measureIngest(): Promise<{ batched: IngestResult; withoutGraph: IngestResult; rowByRow: IngestResult }> {
  const batched = await measure('batched');
  const withoutGraph = await measure('batched-no-graph');
  const rowByRow = await measure('row-by-row');
  return { batched, withoutGraph, rowByRow };
}
