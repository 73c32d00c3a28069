// Valid signals made from a sequence number, so the same `seq` always gives the same signal. The
// values vary on purpose (sources and kinds, scores with many ties and some nulls, dates over a
// month with shared hours, tags, words to search for) so filters, sorts and paging have something
// to tell apart, and a few are paused or archived.
import { upsertSignals } from '../../lib/db/signals-upsert.js';
import { SIGNAL_SENTIMENTS, type NewSignal, type SignalKind, type SignalStatus } from '../../lib/model/signal.js';
import type { Queryable } from '../../lib/db/types.js';
import { DISCOVERY_HALF_LIFE_DAYS, FEED_HALF_LIFE_DAYS, rankKey } from '../../lib/model/rank.js';

const SOURCES: ReadonlyArray<{ source: string; kinds: readonly SignalKind[] }> = [
  { source: 'hackernews', kinds: ['story'] },
  { source: 'arxiv', kinds: ['preprint'] },
  { source: 'github', kinds: ['repository', 'release'] },
  { source: 'reddit', kinds: ['post'] },
  { source: 'bluesky', kinds: ['post', 'story'] },
];

/** Search words. None shares a stem with another, nor with the words tests search for (run, postgres, lambda). */
export const FACTORY_WORDS = [
  'quantum', 'compiler', 'database', 'kernel', 'vector', 'latency', 'graph', 'inference',
  'sensor', 'protocol', 'battery', 'satellite', 'genome', 'privacy', 'robotics', 'climate',
] as const;

export const FACTORY_TAGS = ['ai', 'rust', 'wasm', 'databases', 'security', 'hardware', 'science', 'open-source'] as const;

export const FACTORY_CATEGORIES = ['research', 'engineering', 'product', 'security', 'community'] as const;

/** The latest published_at the factory gives; the others are whole hours before it. */
export const FACTORY_EPOCH = new Date('2026-01-31T00:00:00.000Z');

const HOUR = 3_600_000;
const MINUTE = 60_000;

function pick<T>(list: readonly T[], index: number): T {
  const value = list[index % list.length];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}

function statusOf(seq: number): SignalStatus {
  if (seq % 10 === 8) return 'paused';
  if (seq % 10 === 9) return 'archived';
  return 'active';
}

/** Up to three distinct tags, from the base-8 digits of seq, so every pair of tags occurs. */
function tagsOf(seq: number): string[] {
  const candidates = [seq, Math.floor(seq / 8), Math.floor(seq / 64)].map((digit) => pick(FACTORY_TAGS, digit));
  return [...new Set(candidates.slice(0, seq % 4))];
}

/**
 * The instant the factory's scores hold (this process's start): its rows are ranked so that read
 * `asOf` this instant they serve exactly the salience and discovery score they were given, and
 * read later they have decayed like any harvested row.
 */
export const FACTORY_SCORED_AT = new Date();

/** The decay keys of scores given as of FACTORY_SCORED_AT (a date in the past is the scoring instant). */
function factoryRanks(signal: NewSignal): Pick<NewSignal, 'rank' | 'discoveryRank'> {
  const at = FACTORY_SCORED_AT.getTime();
  return {
    rank: rankKey(signal.discoveryScore ?? signal.salience ?? 0, FACTORY_SCORED_AT, at, FEED_HALF_LIFE_DAYS),
    discoveryRank: signal.discoveryScore === null ? null : rankKey(signal.discoveryScore, FACTORY_SCORED_AT, at, DISCOVERY_HALF_LIFE_DAYS),
  };
}

/** `signal` with the decay keys of its scores as of FACTORY_SCORED_AT (after changing its scores). */
export function withFactoryRanks(signal: NewSignal): NewSignal {
  return { ...signal, ...factoryRanks(signal) };
}

/** The stored columns of a NewSignal, without the decay keys a Signal does not carry. */
export function signalColumnsOf(signal: NewSignal): Omit<NewSignal, 'rank' | 'discoveryRank'> {
  const { rank: _rank, discoveryRank: _discoveryRank, ...columns } = signal;
  return columns;
}

/** A valid NewSignal for `seq`, with `overrides` applied on top (ranks follow the scores unless given). */
export function makeSignal(overrides: Partial<NewSignal> = {}, seq = 0): NewSignal {
  const signal = makeUnranked(overrides, seq);
  return { ...factoryRanks(signal), ...signal };
}

function makeUnranked(overrides: Partial<NewSignal>, seq: number): NewSignal {
  const { source, kinds } = pick(SOURCES, seq);
  const kind = pick(kinds, Math.floor(seq / SOURCES.length));
  const artifact = kind === 'preprint' || kind === 'repository' || kind === 'release';
  // Odd steps walk all 16 words; the offset per cycle of 16 varies which words meet.
  const word = (step: number): string => pick(FACTORY_WORDS, seq * step + step + Math.floor(seq / 16));
  return {
    source,
    sourceId: `item-${String(seq)}`,
    kind,
    url: `https://example.com/${source}/${String(seq)}`,
    title: `${word(3)} ${word(7)} notes ${String(seq)}`,
    text: `A signal about ${word(5)} and ${word(11)}, harvested from ${source}.`,
    author: seq % 4 === 3 ? null : `author_${String(seq % 23)}`,
    // 97 distinct hours: about three signals share each published_at per 300.
    publishedAt: new Date(FACTORY_EPOCH.getTime() - ((seq * 7919) % 97) * HOUR),
    // 10 distinct minutes: many signals share each fetched_at.
    fetchedAt: new Date(FACTORY_EPOCH.getTime() + HOUR + (seq % 10) * MINUTE),
    engagement: { points: (seq * 31) % 1000, comments: (seq * 17) % 200 },
    category: seq % 6 === 5 ? null : pick(FACTORY_CATEGORIES, Math.floor(seq / 3)),
    sentiment: seq % 5 === 4 ? null : pick(SIGNAL_SENTIMENTS, seq),
    urgency: seq % 7 === 6 ? null : seq % 6,
    tags: tagsOf(seq),
    // Whole numbers (many ties) and some nulls; artifacts also get half-point discovery scores.
    salience: seq % 9 === 0 ? null : (seq * 37) % 101,
    discoveryScore: artifact && seq % 7 !== 0 ? ((seq * 53) % 201) / 2 : null,
    scoreDetails: { factory: true, seq },
    status: statusOf(seq),
    ...overrides,
  };
}

export interface SeedOptions {
  /** First sequence number (default 0); seeding again from another start adds new signals. */
  start?: number;
  /** Applied to every signal, e.g. `{ source: 'mytest' }` to keep a test's rows apart. */
  overrides?: Partial<NewSignal> | ((seq: number) => Partial<NewSignal>);
}

export interface SeedResult {
  /** The signals stored, in sequence order. */
  rows: NewSignal[];
  inserted: number;
  updated: number;
}

/** Stores `count` factory signals through upsertSignals (one statement per 500). */
export async function seedSignals(db: Queryable, count: number, options: SeedOptions = {}): Promise<SeedResult> {
  const start = options.start ?? 0;
  const overridesOf = (seq: number): Partial<NewSignal> =>
    typeof options.overrides === 'function' ? options.overrides(seq) : (options.overrides ?? {});
  const rows = Array.from({ length: count }, (_, i) => makeSignal(overridesOf(start + i), start + i));
  return { rows, ...(await upsertSignals(db, rows)) };
}
