// Child process of ingest.ts: stores 20,000 harvested items in the machine's Postgres through the
// real Neon driver, one way per process (so each side's peak memory is its own). `batched` is the
// pipeline's storing half (lib/harvest/ingest.ts: classify, score, one multi-row upsert per 500);
// `row-by-row` classifies and scores the same items the same way, then sends one plain INSERT each.
// Each item tells a story of its own but one in twenty, a re-post of another source's (see
// REPOST_EVERY). The items are made before the clock and the heap baseline start (making them is
// the harness's work, ~130 ms of string building, not the ingest's) and fed to both sides one at
// a time, so the peak heap above the start is what storing them holds. `ingest` is what the
// discover job does with the graph on (extraction is the graph-build job's, after it);
// `ingest-graph` is the same followed by the graph-build job's pass over the stored items
// (identifiers and edges: arXiv entries and repositories that the other items cite, link and
// name; near-duplicates, the planted re-posts, and the rescoring of the artifacts they group;
// entities), timed as one, so the whole cost of a harvested item is compared too.
import { createKeywordClassifier } from '../../lib/harvest/classify/index.js';
import { buildGraph } from '../../lib/graph/build.js';
import { ingestItems } from '../../lib/harvest/ingest.js';
import { scoreItem, toNewSignal } from '../../lib/harvest/score/index.js';
import type { HarvestedItem } from '../../lib/harvest/types.js';
import type { SourceName } from '../../lib/model/sources.js';
import { sql } from '../../lib/db/sql.js';
import type { Db } from '../../lib/db/types.js';
import { testJobContext } from '../support/job-context.js';
import { reportToParent } from './child.js';
import { onPostgres } from './child-postgres.js';
import { measureMemory, seededRandom } from './child-memory.js';

export type IngestMode = 'ingest' | 'ingest-graph' | 'row-by-row';

export interface IngestResult {
  mode: IngestMode;
  items: number;
  stored: number;
  ms: number;
  itemsPerSecond: number;
  /** Largest heap in use while storing, sampled every 5 ms, MB. */
  peakHeapMb: number;
  /** Heap in use before the first item, MB. */
  startHeapMb: number;
  /** The process's peak resident set (getrusage), MB. */
  peakRssMb: number;
  /** Graph edges stored (by the graph-build pass). */
  edges: number;
  /** same_as edges the graph pass stored between near-duplicates (the planted re-posts). */
  nearDuplicates: number;
  /** Of `ms`: the ingest's part and the graph-build pass's (0 without it). */
  ingestMs: number;
  graphMs: number;
}

const ITEMS = 20_000;
const SOURCES: readonly SourceName[] = ['hackernews', 'github', 'arxiv', 'reddit', 'x'];
const KINDS = { hackernews: 'story', github: 'repository', arxiv: 'preprint', reddit: 'post', x: 'post' } as const;
const WORDS = ['model', 'release', 'outage', 'security', 'benchmark', 'agent', 'kernel', 'dataset', 'funding', 'paper'];

/** The arXiv id of the arXiv item `seq` (every fifth item, from 2), and the repository of the GitHub one (from 1). */
const paperOf = (seq: number): string => `2401.${String(seq).padStart(5, '0')}`;
const repoOf = (seq: number): string => `lab${String(seq)}/repo${String(seq)}`;

/** The URL of item `seq`: an arXiv or GitHub item's is the artifact itself (the graph's targets). */
function urlOf(source: SourceName, seq: number): string {
  if (source === 'arxiv') return `https://arxiv.org/abs/${paperOf(seq)}v1`;
  if (source === 'github') return `https://github.com/${repoOf(seq)}`;
  return `https://example.com/${source}/${String(seq)}`;
}

/** What item `seq` names besides: half cite the previous paper, a third link the previous repository. */
function references(seq: number): string {
  const paper = seq - ((seq + 3) % 5) - 5;
  const repo = seq - ((seq + 4) % 5) - 5;
  return (seq % 2 === 0 && paper >= 0 ? ` Builds on arXiv:${paperOf(paper)}.` : '') + (seq % 3 === 0 && repo >= 0 ? ` Code: https://github.com/${repoOf(repo)}` : '');
}

/** A vocabulary with a skewed use, as in a harvest: a few hundred common words, a long tail of rare ones. */
const VOCABULARY = Array.from({ length: 6_000 }, (_, n) => `w${n.toString(36)}`);

/** Story `n`'s words: its own draw from the vocabulary (the same every time it is told). */
function storyWords(n: number): string[] {
  const next = seededRandom(n + 1);
  return Array.from({ length: 24 }, () => VOCABULARY[Math.floor(VOCABULARY.length * next() ** 2.5)] ?? 'w0');
}

/**
 * Every twentieth item re-posts the story of the item three before it (another source, 3 h apart)
 * with a word changed and one added: 5 % cross-source near-duplicates, as a harvest has, and every
 * other item a story of its own. (Items told from one template would all be near-duplicates of each
 * other: one group of 20,000, a worst case no harvest has.)
 */
const REPOST_EVERY = 20;

/** A deterministic synthetic harvest, one item at a time. */
function* items(count: number, nowMs: number): Generator<HarvestedItem> {
  for (let seq = 0; seq < count; seq += 1) {
    const source = SOURCES[seq % SOURCES.length] ?? 'hackernews';
    const word = (offset: number): string => WORDS[(seq + offset) % WORDS.length] ?? 'model';
    const repost = seq % REPOST_EVERY === REPOST_EVERY - 1;
    const told = repost ? [...storyWords(seq - 3).slice(1), `again${String(seq)}`] : storyWords(seq);
    yield {
      source,
      sourceId: `bench-${String(seq)}`,
      kind: KINDS[source],
      url: urlOf(source, seq),
      title: `A ${word(0)} about the ${word(3)}: ${told.slice(0, 6).join(' ')}`,
      text: `${told.join(' ')}, with ${word(1)} ${word(2)} ${word(5)} for the classifier.${references(seq)}`,
      author: `author${String(seq % 97)}`,
      publishedAt: new Date(nowMs - (seq % 72) * 3_600_000),
      engagement: { points: seq % 500, comments: seq % 40, stars: seq % 3000, likes: seq % 200 },
      tags: [word(4), source],
    };
  }
}

async function rowByRow(db: Db, made: readonly HarvestedItem[], nowMs: number): Promise<number> {
  const classifier = createKeywordClassifier();
  let stored = 0;
  for (const item of made) {
    const classification = await classifier.classify(item);
    const row = toNewSignal(item, classification, scoreItem(item, classification, nowMs));
    await db.query(sql`
      INSERT INTO signals (source, source_id, kind, url, title, text, author, published_at, engagement, category,
                           sentiment, urgency, tags, salience, discovery_score, score_details, rank, discovery_rank)
      VALUES (${row.source}, ${row.sourceId}, ${row.kind}, ${row.url}, ${row.title}, ${row.text}, ${row.author},
              ${row.publishedAt}, ${JSON.stringify(row.engagement)}, ${row.category}, ${row.sentiment}, ${row.urgency},
              ${row.tags}, ${row.salience}, ${row.discoveryScore}, ${JSON.stringify(row.scoreDetails)},
              ${row.rank ?? null}, ${row.discoveryRank ?? null})`);
    stored += 1;
  }
  return stored;
}

async function batched(db: Db, made: readonly HarvestedItem[], nowMs: number, graph: boolean): Promise<number> {
  const started = performance.now();
  const result = await ingestItems(db, made.values(), { classifier: createKeywordClassifier(), nowMs });
  ingestMs = performance.now() - started;
  if (graph) {
    // The job's pass as its runs would make it, batch after batch from the cursor; settled at once
    // (nothing else writes), with no budget (a Lambda run would stop and the next continue).
    const built = await buildGraph(db, testJobContext({ job: 'graph-build' }), { settleMs: 0 });
    if (built.signals !== ITEMS) throw new Error(`the graph pass read ${String(built.signals)} signals, not ${String(ITEMS)}`);
    edges = built.edges;
    nearDuplicates = built.nearDuplicates;
    graphMs = performance.now() - started - ingestMs;
  }
  return result.inserted + result.updated;
}

/** Graph edges the graph pass stored (0 without it), and the two parts' times. */
let edges = 0;
let nearDuplicates = 0;
let ingestMs = 0;
let graphMs = 0;

const mode = process.argv[2] as IngestMode;
if (mode !== 'ingest' && mode !== 'ingest-graph' && mode !== 'row-by-row') {
  throw new Error(`usage: ingest-child.ts ingest|ingest-graph|row-by-row, not ${String(mode)}`);
}
const result: IngestResult = await onPostgres(async (db) => {
  const nowMs = Date.now();
  const made = [...items(ITEMS, nowMs)];
  const measured = await measureMemory(() => (mode === 'row-by-row' ? rowByRow(db, made, nowMs) : batched(db, made, nowMs, mode === 'ingest-graph')));
  const { value: stored, ...memory } = measured;
  const [{ count }] = (await db.query<{ count: number }>(sql`SELECT count(*)::int AS count FROM signals`)) as [{ count: number }];
  if (count !== ITEMS || stored !== ITEMS) throw new Error(`${mode} stored ${String(stored)} (table holds ${String(count)}), not ${String(ITEMS)}`);
  return {
    mode,
    items: ITEMS,
    stored,
    ...memory,
    itemsPerSecond: (ITEMS / memory.ms) * 1000,
    edges,
    nearDuplicates,
    ingestMs: mode === 'row-by-row' ? memory.ms : ingestMs,
    graphMs,
  };
});
reportToParent(result);
