// The graph for signals stored before extraction ran at ingest: signals in id order from a stored
// cursor, a bounded batch at a time (one read, two graph statements), the cursor saved after each
// batch, until the job's budget says stop (the next run continues) or none are left. Rerunning is
// harmless: identifiers and edges already stored are left as they are. A run that reaches the end
// also attaches pending edges a concurrent writer left behind.
import { getDb } from '../db/client.js';
import { attachPendingEdges } from '../db/signal-identifiers-repo.js';
import { loadCursors, saveCursors } from '../db/source-cursors-repo.js';
import { sql } from '../db/sql.js';
import type { Queryable } from '../db/types.js';
import type { JobContext } from '../model/job-context.js';
import { linkSignals, type LinkableSignal } from './link.js';

/** The cursor's row in source_cursors (a job's, not a source's: the prefix keeps them apart). */
export const BACKFILL_CURSOR = { source: 'job:graph-backfill', query: '' } as const;

/** Signals per batch: ≤ 10,000 characters of text each, so a batch reads at most ~5 MB. */
export const BACKFILL_BATCH_SIZE = 500;

export interface BackfillOptions {
  /** Default BACKFILL_BATCH_SIZE. */
  batchSize?: number;
  /** Start over from the first signal (ignore the stored cursor). */
  restart?: boolean;
}

export interface BackfillResult {
  signals: number;
  batches: number;
  edges: number;
  attached: number;
  /** The last signal id done (the stored cursor). */
  cursor: string;
  /** True when no signal was left after the cursor. */
  done: boolean;
}

/** Builds the graph of stored signals after the cursor, within `run`'s budget. */
export async function backfillGraph(db: Queryable, run: Pick<JobContext, 'shouldStop' | 'log'>, options: BackfillOptions = {}): Promise<BackfillResult> {
  const size = options.batchSize ?? BACKFILL_BATCH_SIZE;
  const stored = options.restart === true ? undefined : (await loadCursors(db, BACKFILL_CURSOR.source)).get(BACKFILL_CURSOR.query);
  const result: BackfillResult = { signals: 0, batches: 0, edges: 0, attached: 0, cursor: stored ?? '0', done: false };
  while (!run.shouldStop()) {
    const batch = await db.query<LinkableSignal>(sql`
      -- signals.id, not the text alias: ORDER BY would sort the alias as text (1, 10, 11, …, 2).
      SELECT id::text AS id, source, kind, url, title, text FROM signals
      WHERE signals.id > ${result.cursor}::bigint ORDER BY signals.id LIMIT ${size}`);
    if (batch.length === 0) {
      result.done = true;
      break;
    }
    const linked = await linkSignals(db, batch);
    result.cursor = batch[batch.length - 1]?.id ?? result.cursor;
    await saveCursors(db, BACKFILL_CURSOR.source, new Map([[BACKFILL_CURSOR.query, result.cursor]]));
    result.signals += batch.length;
    result.batches += 1;
    result.edges += linked.edges;
    result.attached += linked.attached;
  }
  if (result.done) result.attached += await attachPendingEdges(db);
  run.log.info('graph backfill', { ...result });
  return result;
}

/** The job's work: backfillGraph on the configured database. */
export async function backfillNow(run: JobContext): Promise<BackfillResult> {
  return backfillGraph(await getDb(), run);
}
