// Harvest ingest on real Postgres through the Neon driver: the pipeline's batched upsert (alone, as
// discover runs it, and followed by the graph-build job's pass) against plain one-by-one INSERTs of
// the same 20,000 items, each in its own process (see ingest-child.ts). The ingest alone takes ~2 s,
// where a busy second on the 2-core machine moves its ratio by a tenth: it runs three times and the
// median run counts (the one-by-one baseline takes ~45 s and runs once).
import { runChild } from './child.js';
import type { IngestMode, IngestResult } from './ingest-child.js';

export type { IngestResult };

function measure(mode: IngestMode): Promise<IngestResult> {
  return runChild<IngestResult>(`./ingest-child.ts`, { timeoutMs: 300_000, args: [mode] });
}

export interface IngestMeasures {
  /** What discover does: classify, score, upsert (the median of three runs by items/s). */
  ingest: IngestResult;
  /** The ingest, then the graph-build job's pass over the same items (timed as one). */
  withGraph: IngestResult;
  rowByRow: IngestResult;
}

/** Runs of the ingest alone; the median counts. */
const INGEST_RUNS = 3;

export async function measureIngest(): Promise<IngestMeasures> {
  const runs: IngestResult[] = [];
  for (let run = 0; run < INGEST_RUNS; run += 1) runs.push(await measure('ingest'));
  runs.sort((a, b) => a.itemsPerSecond - b.itemsPerSecond);
  const ingest = runs[Math.floor(INGEST_RUNS / 2)] as IngestResult;
  console.log(`  ingest runs: ${runs.map((run) => `${Math.round(run.itemsPerSecond).toLocaleString('en-US')} items/s`).join(', ')} (the median counts)`);
  const withGraph = await measure('ingest-graph');
  const rowByRow = await measure('row-by-row');
  return { ingest, withGraph, rowByRow };
}
