// The graph job's work (lib/jobs/catalog/graph-build.ts): identifiers and relationships for the
// signals stored after its cursor, in id order, a bounded batch at a time (one read, the graph's
// statements), the cursor saved after each batch, until the job's budget says stop (the next run
// continues) or no settled signal is left. The same loop is the backfill: on a store that never had
// a graph, the first runs walk every older signal from id 0. Rerunning is harmless: identifiers
// and edges already stored are left as they are.
//
// Why not inside the ingest: extraction made the harvest's storing three to four times slower and
// carried the graph's code in the discover bundle; a harvested signal gets its edges from the next
// run here instead (every 5 minutes).
import { getDb } from '../db/client.js';
import { loadCursors, saveCursors } from '../db/source-cursors-repo.js';
import { sql } from '../db/sql.js';
import type { Queryable } from '../db/types.js';
import type { JobContext } from '../model/job-context.js';
import { linkSignals, type LinkableSignal } from './link.js';

/** The cursor's row in source_cursors (a job's, not a source's: the prefix keeps them apart). */
export const GRAPH_CURSOR = { source: 'job:graph-build', query: '' } as const;

/** Signals per batch: ≤ 10,000 characters of text each, so a batch reads at most ~5 MB. */
export const GRAPH_BATCH_SIZE = 500;

/**
 * How old (updated_at) a signal must be before the cursor may pass it, ms. Identity ids are taken
 * when a row is inserted, not when it commits: two upserts in flight (the ingest runs two) can
 * commit out of id order, and a cursor that passed a committed id while a smaller one was still
 * in flight would skip that row for good. A row written this long ago belongs to a statement that
 * ended long since (the role's statement_timeout, 5 s in the deploy guide), so every id still in
 * flight is larger than every settled one. The run stops at the first unsettled row of a batch;
 * the next run takes it.
 */
export const SETTLE_MS = 30_000;

export interface BuildGraphOptions {
  /** Default GRAPH_BATCH_SIZE. */
  batchSize?: number;
  /** Start over from the first signal (ignore the stored cursor): a full rebuild, adding only what is missing. */
  restart?: boolean;
  /** Default SETTLE_MS; tests that build right after storing pass 0. */
  settleMs?: number;
}

export interface BuildGraphResult {
  signals: number;
  batches: number;
  /** New edges (resolved or pending). */
  edges: number;
  /** Earlier pending edges these signals completed. */
  attached: number;
  /** The last signal id done (the stored cursor). */
  cursor: string;
  /** True when no settled signal was left after the cursor. */
  done: boolean;
}

interface BatchRow extends LinkableSignal {
  /** Written within the settle window: the cursor stops before it. */
  recent: boolean;
}

/** The settled prefix of `rows` (in id order): everything before the first recent row. */
function settledPrefix(rows: readonly BatchRow[]): LinkableSignal[] {
  const cut = rows.findIndex((row) => row.recent);
  return (cut === -1 ? rows : rows.slice(0, cut)).map(({ id, source, kind, url, title, text }) => ({ id, source, kind, url, title, text }));
}

/** Builds the graph of stored signals after the cursor, within `run`'s budget. */
export async function buildGraph(db: Queryable, run: Pick<JobContext, 'shouldStop' | 'log'>, options: BuildGraphOptions = {}): Promise<BuildGraphResult> {
  const size = options.batchSize ?? GRAPH_BATCH_SIZE;
  const settleMs = options.settleMs ?? SETTLE_MS;
  const stored = options.restart === true ? undefined : (await loadCursors(db, GRAPH_CURSOR.source)).get(GRAPH_CURSOR.query);
  const result: BuildGraphResult = { signals: 0, batches: 0, edges: 0, attached: 0, cursor: stored ?? '0', done: false };
  while (!run.shouldStop()) {
    const rows = await db.query<BatchRow>(sql`
      -- signals.id, not the text alias: ORDER BY would sort the alias as text (1, 10, 11, …, 2).
      SELECT id::text AS id, source, kind, url, title, text,
             updated_at > now() - ${Math.trunc(settleMs)}::int * interval '1 millisecond' AS recent
      FROM signals WHERE signals.id > ${result.cursor}::bigint ORDER BY signals.id LIMIT ${size}`);
    const batch = settledPrefix(rows);
    if (batch.length === 0) {
      result.done = true;
      break;
    }
    const linked = await linkSignals(db, batch);
    result.cursor = batch[batch.length - 1]?.id ?? result.cursor;
    await saveCursors(db, GRAPH_CURSOR.source, new Map([[GRAPH_CURSOR.query, result.cursor]]));
    result.signals += batch.length;
    result.batches += 1;
    result.edges += linked.edges;
    result.attached += linked.attached;
    if (batch.length < rows.length) {
      // The rest of the batch is still settling: the next run takes it.
      result.done = true;
      break;
    }
  }
  run.log.info('graph build', { ...result });
  return result;
}

/** The job's work: buildGraph on the configured database. */
export async function buildGraphNow(run: JobContext): Promise<BuildGraphResult> {
  return buildGraph(await getDb(), run);
}
