// The storing half of the pipeline: classify → score → upsert, a batch at a time, so memory holds
// at most three batches whatever the size of the harvest (the items may come from a generator). A
// batch also drops items whose link another source's stored signal already has: one signal per thing.
// Identifiers, relationships, near-duplicates and entities are the graph-build job's
// (lib/graph/build.ts), a few minutes later; it rescores an artifact whose duplicate group grows.
// A re-harvested artifact in a group is rescored right after its batch (rescore.ts), so it keeps
// counting its group without a look-up for every batch.
import { setImmediate } from 'node:timers/promises';
import type { UpsertResult } from '../db/signals-types.js';
import { UPSERT_BATCH_SIZE, upsertHarvested } from '../db/signals-upsert.js';
import type { Queryable } from '../db/types.js';
import type { NewSignal } from '../model/signal.js';
import type { Classifier } from './classify/index.js';
import { discoveryScore } from '../metrics/harvest-metrics.js';
import { rescoreStale } from './rescore.js';
import { scoreItem, toNewSignal } from './score/index.js';
import type { HarvestedItem } from './types.js';

export interface IngestOptions {
  classifier: Classifier;
  /** The run's clock, ms: scores decay from it. */
  nowMs: number;
  /** Other sources' reports of an item's link in this run (from dedupeItems). */
  mentions?: ReadonlyMap<HarvestedItem, number>;
  /** Items per batch (one upsert statement each). Default UPSERT_BATCH_SIZE (500). */
  batchSize?: number;
}

export interface IngestResult extends UpsertResult {
  /** Items seen. */
  items: number;
  /** Items dropped because another source's stored signal has their link. */
  knownElsewhere: number;
  batches: number;
  /** Re-harvested artifacts rescored to count their duplicate group. */
  rescored: number;
}

/**
 * Classifies and scores one item into the row to store. Its mentions are the other sources that
 * reported its link in this run (README Scoring); its duplicate group's are counted after the
 * upsert when it has one.
 */
async function toRow(item: HarvestedItem, options: IngestOptions): Promise<NewSignal> {
  const classification = await options.classifier.classify(item);
  const score = scoreItem(item, classification, options.nowMs, { linkMentions: options.mentions?.get(item) ?? 0 });
  if (score.discoveryScore !== null) discoveryScore.observe({ source: item.source }, score.discoveryScore);
  return toNewSignal(item, classification, score);
}

/** Upsert statements in flight at once (the Neon pool keeps two connections per container). */
const MAX_UPSERTS_IN_FLIGHT = 2;

/** The unique key of a stored signal. */
function rowKey(row: Pick<NewSignal, 'source' | 'sourceId'>): string {
  return `${row.source}\u0000${row.sourceId}`;
}

/** Items classified between two turns of the event loop (~2 ms of keyword work). */
const CLASSIFY_CHUNK = 50;

/**
 * A batch ready to upsert: its items classified and scored. Those whose link another source's
 * stored signal has are dropped by the upsert itself (ownLinksOnly), not looked up first: the
 * look-up waited for one of the pool's two connections, busy with the previous batches.
 */
async function prepareBatch(batch: readonly HarvestedItem[], options: IngestOptions): Promise<NewSignal[]> {
  // A chunk at a time, yielding between chunks: keyword classification is synchronous, and one
  // 500-item block would hold the event loop while the previous batch's upsert waits on its socket.
  // Within a chunk, all at once: the LLM classifier bounds its own requests in flight.
  const rows: NewSignal[] = [];
  for (let start = 0; start < batch.length; start += CLASSIFY_CHUNK) {
    const chunk = batch.slice(start, start + CLASSIFY_CHUNK);
    rows.push(...(await Promise.all(chunk.map((item) => toRow(item, options)))));
    await setImmediate();
  }
  return rows;
}

async function upsertBatch(db: Queryable, rows: readonly NewSignal[], options: IngestOptions, result: IngestResult): Promise<void> {
  const { ungrouped, ...stored } = await upsertHarvested(db, rows);
  result.knownElsewhere += stored.knownElsewhere;
  result.inserted += stored.inserted;
  result.updated += stored.updated;
  result.batches += 1;
  result.rescored += await rescoreStale(db, { ids: ungrouped }, options.nowMs);
}

/** Stores `items` (any iterable, consumed once, a batch in memory at a time). */
export async function ingestItems(
  db: Queryable,
  items: Iterable<HarvestedItem> | AsyncIterable<HarvestedItem>,
  options: IngestOptions,
): Promise<IngestResult> {
  const size = options.batchSize ?? UPSERT_BATCH_SIZE;
  const result: IngestResult = { items: 0, inserted: 0, updated: 0, knownElsewhere: 0, batches: 0, rescored: 0 };
  // Batch N+1 is classified and scored (we work) while batches N and N-1 are upserted (Postgres
  // works, on the pool's two connections): a run takes about the longest stage, not their sum; at
  // most three batches are in memory.
  const inFlight = new Map<Promise<void>, ReadonlySet<string>>();
  const flush = async (batch: readonly HarvestedItem[]): Promise<void> => {
    const rows = await prepareBatch(batch, options);
    const keys = new Set(rows.map(rowKey));
    // Never two statements on one key at once: they would wait on each other's row lock, and two
    // batches locking shared rows in different orders could deadlock.
    for (const [pending, pendingKeys] of inFlight) {
      if (rows.some((row) => pendingKeys.has(rowKey(row)))) await pending;
    }
    while (inFlight.size >= MAX_UPSERTS_IN_FLIGHT) await Promise.race(inFlight.keys());
    const upsert: Promise<void> = upsertBatch(db, rows, options, result).finally(() => inFlight.delete(upsert));
    // A failed upsert must not go unobserved while the next batch is prepared; it is rethrown below.
    upsert.catch(() => undefined);
    inFlight.set(upsert, keys);
  };
  let batch: HarvestedItem[] = [];
  for await (const item of items) {
    result.items += 1;
    batch.push(item);
    if (batch.length >= size) {
      await flush(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await flush(batch);
  await Promise.all(inFlight.keys());
  return result;
}
