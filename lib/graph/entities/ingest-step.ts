// The ingest pipeline's entity step (lib/harvest/ingest.ts): after a batch is upserted, resolve
// the entities its items name. Steps of one ingest run go one after another (never two batches
// resolving at once, so a batch sees the entities the previous one made), beside the upserts of
// the next batches rather than in their way; ingest waits when two are queued. Fail-open on purpose:
// the signals are stored by then, so a failure is logged (and the next harvest or the graph
// backfill resolves those signals again) rather than failing the harvest and its notifications.
import { storedSignals } from '../../db/entity-resolution-repo.js';
import type { Queryable } from '../../db/types.js';
import type { EntityMention } from '../../model/entity.js';
import type { SourceName } from '../../model/sources.js';
import { log } from '../../log/index.js';
import { resolveEntities, type ResolutionCounts, type ResolvableSignal } from './resolve.js';

/** What the step reads of a harvested item. */
export interface EntityItem {
  source: SourceName;
  sourceId: string;
  url: string;
  author: string | null;
  entities?: readonly EntityMention[];
}

/**
 * Resolves the entities of items already stored (by source and source id; the rest are skipped):
 * the ingest step's work, and what a backfill over stored signals calls.
 */
export async function resolveStoredItems(db: Queryable, items: readonly EntityItem[]): Promise<ResolutionCounts> {
  const stored = await storedSignals(db, items);
  const signals: ResolvableSignal[] = [];
  for (const item of items) {
    const signal = stored.get(`${item.source}\u0000${item.sourceId}`);
    if (signal === undefined) continue;
    signals.push({ id: signal.id, recorded: signal.recorded, source: item.source, url: item.url, author: item.author, ...(item.entities === undefined ? {} : { entities: item.entities }) });
  }
  return resolveEntities(db, signals);
}

export interface EntityStep {
  /** Queues a stored batch for resolution after the previous one; never rejects. */
  record(items: readonly EntityItem[]): void;
  /** Resolves once at most `pending` batches are still queued or resolving. */
  drain(pending?: number): Promise<void>;
}

export function entityStep(db: Queryable): EntityStep {
  const queue: Array<Promise<void>> = [];
  let previous: Promise<void> = Promise.resolve();
  const run = async (items: readonly EntityItem[]): Promise<void> => {
    try {
      await resolveStoredItems(db, items);
    } catch (error) {
      log.warn('entity resolution failed for a batch; its signals are stored and are resolved again on their next harvest or the graph backfill', {
        reason: 'entity_resolution_failed',
        items: items.length,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  };
  return {
    record(items) {
      const step = previous.then(() => run(items));
      previous = step;
      queue.push(step);
      void step.then(() => queue.splice(queue.indexOf(step), 1));
    },
    async drain(pending = 0) {
      while (queue.length > pending) await queue[0];
    },
  };
}
