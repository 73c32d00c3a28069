// Child process of near-duplicates.ts: near-duplicate detection over 20,000 stored items on the
// machine's Postgres through the real Neon driver, as the graph-build job runs it
// (lib/graph/duplicates: per batch of 500 stored signals, one candidate query, then fingerprints,
// band keys, same_as edges and groups stored, each batch recorded before the next is planned).
// The items are upserted first (not timed). A quarter of the stories are re-posted on
// another source or two with words changed, within hours; the rest share a vocabulary, so
// unrelated items collide on common words. Reports items/s, the peak heap, and how many planted
// pairs were found (recall) and how many pairs joined different stories (false matches).
import { DuplicateRun } from '../../lib/graph/duplicates/detect.js';
import { fingerprintOf } from '../../lib/graph/duplicates/fingerprint.js';
import { sql } from '../../lib/db/sql.js';
import { upsertSignals, UPSERT_BATCH_SIZE } from '../../lib/db/signals-upsert.js';
import type { SourceName } from '../../lib/model/sources.js';
import type { NewSignal } from '../../lib/model/signal.js';
import { makeSignal } from '../support/signal-factory.js';
import { reportToParent } from './child.js';
import { onPostgres } from './child-postgres.js';
import { measureMemory, seededRandom } from './child-memory.js';

export interface NearDuplicatesResult {
  items: number;
  ms: number;
  itemsPerSecond: number;
  /** Fingerprinting alone (no database), items/s. */
  fingerprintPerSecond: number;
  peakHeapMb: number;
  startHeapMb: number;
  peakRssMb: number;
  /** Re-posts planted (pairs of a story's reports). */
  planted: number;
  /** Planted pairs joined (in one group). */
  found: number;
  /** same_as edges between reports of different stories. */
  falseEdges: number;
  edges: number;
}

const ITEMS = 20_000;
const SOURCES: readonly SourceName[] = ['hackernews', 'reddit', 'x'];
/** A vocabulary with a skewed use: a few hundred common words, a long tail of rare ones. */
const VOCABULARY = Array.from({ length: 6_000 }, (_, n) => `w${n.toString(36)}`);

const next = seededRandom(42);
const word = (): string => VOCABULARY[Math.floor(VOCABULARY.length * next() ** 2.5)] ?? 'w0';

interface Report {
  story: number;
  signal: NewSignal;
}

/** Stories and their re-posts, ITEMS reports in all, over 30 days. */
function reports(nowMs: number): Report[] {
  const out: Report[] = [];
  let story = 0;
  while (out.length < ITEMS) {
    const words = Array.from({ length: 8 + Math.floor(next() * 6) }, word);
    const publishedMs = nowMs - Math.floor(next() * 30 * 86_400_000);
    const copies = next() < 0.25 ? 1 + Math.floor(next() * 2) : 0;
    for (let copy = 0; copy <= copies && out.length < ITEMS; copy += 1) {
      // A re-post changes a word and adds one: Jaccard ≈ 0.6–0.8 with the original.
      const told = copy === 0 ? words : [...words.slice(1), word(), word()];
      const seq = out.length;
      out.push({
        story,
        signal: makeSignal(
          {
            source: SOURCES[(story + copy) % SOURCES.length] ?? 'hackernews',
            sourceId: `nd-${String(seq)}`,
            url: `https://example.com/nd/${String(seq)}`,
            title: told.join(' '),
            text: '',
            publishedAt: new Date(publishedMs + copy * 3 * 3_600_000),
          },
          seq,
        ),
      });
    }
    story += 1;
  }
  return out;
}

const result: NearDuplicatesResult = await onPostgres(async (db) => {
  const all = reports(Date.now());
  for (let start = 0; start < all.length; start += UPSERT_BATCH_SIZE) {
    await upsertSignals(db, all.slice(start, start + UPSERT_BATCH_SIZE).map((report) => report.signal));
  }

  const fingerprintStarted = performance.now();
  for (const { signal } of all) fingerprintOf(signal.title, signal.text);
  const fingerprintMs = performance.now() - fingerprintStarted;

  const run = new DuplicateRun(db);
  const measured = await measureMemory(async () => {
    let edges = 0;
    for (let start = 0; start < all.length; start += UPSERT_BATCH_SIZE) {
      const plan = await run.plan(all.slice(start, start + UPSERT_BATCH_SIZE).map((report) => report.signal));
      edges += (await run.record(plan)).edges;
    }
    return edges;
  });
  const { value: edges, ...memory } = measured;

  const storyOf = new Map(all.map((report) => [report.signal.sourceId, report.story]));
  const rows = await db.query<{ sourceId: string; group: string | null; id: string }>(sql`
    SELECT source_id AS "sourceId", duplicate_group::text AS "group", id::text AS id FROM signals`);
  const groupOf = new Map(rows.map((row) => [row.sourceId, row.group]));
  const bySignal = new Map(rows.map((row) => [row.id, storyOf.get(row.sourceId)]));
  let planted = 0;
  let found = 0;
  for (let index = 1; index < all.length; index += 1) {
    const [previous, current] = [all[index - 1], all[index]] as [Report, Report];
    if (previous.story !== current.story) continue;
    planted += 1;
    const group = groupOf.get(current.signal.sourceId);
    if (group !== null && group === groupOf.get(previous.signal.sourceId)) found += 1;
  }
  const stored = await db.query<{ from: string; to: string }>(sql`
    SELECT from_signal_id::text AS "from", to_signal_id::text AS "to" FROM signal_edges WHERE type = 'same_as'`);
  const falseEdges = stored.filter((edge) => bySignal.get(edge.from) !== bySignal.get(edge.to)).length;

  return {
    items: ITEMS,
    ...memory,
    itemsPerSecond: (ITEMS / memory.ms) * 1000,
    fingerprintPerSecond: (ITEMS / fingerprintMs) * 1000,
    planted,
    found,
    falseEdges,
    edges,
  };
});
reportToParent(result);
