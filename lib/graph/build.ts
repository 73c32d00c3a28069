// The graph job's work (lib/jobs/catalog/graph-build.ts): identifiers, relationships,
// near-duplicates and entities for the signals stored after its cursor, in id order, a bounded
// batch at a time (one read, the graph's statements, the near-duplicate step and the rescoring of
// the artifacts whose group grew, the entity step), the cursor saved after each batch, until the
// job's budget says stop (the next run continues) or no settled signal is left. The same loop is
// the backfill: on a store that never had a graph, the first runs walk every older signal from
// id 0. Rerunning is harmless: identifiers, edges and groups already stored are left as they are.
//
// Why not inside the ingest: extraction, near-duplicate detection and resolution made the
// harvest's storing several times slower (×5 one INSERT per row instead of ×20) and carried the
// graph's code in the discover bundle (past its size budget); a harvested signal gets its edges,
// its group and its group's mentions in its score from the next run here instead (every 5 minutes).
import { getDb } from '../db/client.js';
import { loadCursors, saveCursors } from '../db/source-cursors-repo.js';
import { sql } from '../db/sql.js';
import type { Queryable } from '../db/types.js';
import type { EntityMention } from '../model/entity.js';
import type { JobContext } from '../model/job-context.js';
import type { SourceName } from '../model/sources.js';
import { DuplicateRun, type DuplicateItem } from './duplicates/detect.js';
import { rescoreStale } from '../harvest/rescore.js';
import { resolveSignalEntities, type EntitySignal } from './entities/build-step.js';
import type { ResolutionCounts } from './entities/resolve.js';
import { linkSignals, type LinkableSignal } from './link.js';

/** The cursor's row in source_cursors (a job's, not a source's: the prefix keeps them apart). */
export const GRAPH_CURSOR = { source: 'job:graph-build', query: '' } as const;

/** Signals per batch: ≤ 10,000 characters of text each, so a batch reads at most ~5 MB. */
export const GRAPH_BATCH_SIZE = 500;

/**
 * How long ago a signal must have been first stored (fetched_at: the insert's now(), which the
 * harvest never sets and a re-harvest keeps) before the cursor may pass it, ms. Identity ids are
 * taken when a row is inserted, not when it commits: two upserts in flight (the ingest runs two)
 * can commit out of id order, and a cursor that passed a committed id while a smaller one was
 * still in flight would skip that row for good. A row inserted this long ago belongs to a
 * statement that ended long since (the role's statement_timeout, 5 s in the deploy guide), so
 * every id still in flight is larger than every settled one. The run stops at the first unsettled
 * row of a batch; the next run takes it. Not updated_at: a re-harvest refreshing an older row the
 * backfill has not reached yet would stop it for nothing.
 */
export const SETTLE_MS = 30_000;

export interface BuildGraphOptions {
  /** Default GRAPH_BATCH_SIZE. */
  batchSize?: number;
  /** Start over from the first signal (ignore the stored cursor): a full rebuild, adding only what is missing. */
  restart?: boolean;
  /** Default SETTLE_MS; tests that build right after storing pass 0. */
  settleMs?: number;
  /** The clock rescored artifacts decay from, ms. Default Date.now. */
  now?: () => number;
}

export interface BuildGraphResult {
  signals: number;
  batches: number;
  /** New edges (resolved or pending). */
  edges: number;
  /** Earlier pending edges these signals completed. */
  attached: number;
  /** same_as edges newly stored between near-duplicates (included in `edges`). */
  nearDuplicates: number;
  /** Artifacts rescored because their duplicate group gained a source. */
  rescored: number;
  /** Entity mentions resolved, by outcome (known alias, merged, queued for review, new entity). */
  entities: ResolutionCounts;
  /** The last signal id done (the stored cursor). */
  cursor: string;
  /** True when no settled signal was left after the cursor. */
  done: boolean;
}

interface BatchRow extends LinkableSignal {
  source: SourceName;
  sourceId: string;
  publishedAt: Date;
  author: string | null;
  /** signals.entity_mentions: written by our own upsert from the adapters' EntityMention[]. */
  entities: EntityMention[] | null;
  /** Written within the settle window: the cursor stops before it. */
  recent: boolean;
}

type BatchSignal = LinkableSignal & EntitySignal & DuplicateItem & { id: string };

/** The settled prefix of `rows` (in id order): everything before the first recent row. */
function settledPrefix(rows: readonly BatchRow[]): BatchSignal[] {
  const cut = rows.findIndex((row) => row.recent);
  return (cut === -1 ? rows : rows.slice(0, cut)).map(({ recent: _recent, ...signal }) => signal);
}

/** Builds the graph of stored signals after the cursor, within `run`'s budget. */
export async function buildGraph(db: Queryable, run: Pick<JobContext, 'shouldStop' | 'log'>, options: BuildGraphOptions = {}): Promise<BuildGraphResult> {
  const size = options.batchSize ?? GRAPH_BATCH_SIZE;
  const settleMs = options.settleMs ?? SETTLE_MS;
  const stored = options.restart === true ? undefined : (await loadCursors(db, GRAPH_CURSOR.source)).get(GRAPH_CURSOR.query);
  const result: BuildGraphResult = {
    signals: 0,
    batches: 0,
    edges: 0,
    attached: 0,
    nearDuplicates: 0,
    rescored: 0,
    cursor: stored ?? '0',
    done: false,
    entities: { known: 0, merged: 0, queued: 0, new: 0 },
  };
  const duplicates = new DuplicateRun(db);
  while (!run.shouldStop()) {
    const rows = await db.query<BatchRow>(sql`
      -- signals.id, not the text alias: ORDER BY would sort the alias as text (1, 10, 11, …, 2).
      SELECT id::text AS id, source, source_id AS "sourceId", kind, url, title, text, author,
             published_at AS "publishedAt", entity_mentions AS entities,
             fetched_at > now() - ${Math.trunc(settleMs)}::int * interval '1 millisecond' AS recent
      FROM signals WHERE signals.id > ${result.cursor}::bigint ORDER BY signals.id LIMIT ${size}`);
    const batch = settledPrefix(rows);
    if (batch.length === 0) {
      result.done = true;
      break;
    }
    const linked = await linkSignals(db, batch);
    const grouped = await duplicates.record(await duplicates.plan(batch));
    result.rescored += await rescoreStale(db, { groups: grouped.groups }, (options.now ?? Date.now)());
    const resolved = await resolveSignalEntities(db, batch);
    result.cursor = batch[batch.length - 1]?.id ?? result.cursor;
    await saveCursors(db, GRAPH_CURSOR.source, new Map([[GRAPH_CURSOR.query, result.cursor]]));
    result.signals += batch.length;
    result.batches += 1;
    result.edges += linked.edges + grouped.edges;
    result.nearDuplicates += grouped.edges;
    result.attached += linked.attached;
    for (const [outcome, count] of Object.entries(resolved) as Array<[keyof ResolutionCounts, number]>) result.entities[outcome] += count;
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
