// The signals repository on both drivers: every filter against the same filter done in JS, every
// sort in both orders, full-text search with stemming, keyset pages that neither repeat nor skip
// rows among many ties, discoveries, statistics, and the edits with good, unknown and bad ids.
import { beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACT_KINDS, type Signal } from '../../../../lib/model/signal.js';
import { InvalidCursorError } from '../../../../lib/model/errors.js';
import {
  archiveSignal,
  getSignal,
  listDiscoveries,
  listDiscoveriesJson,
  listSignals,
  listSignalsJson,
  SIGNAL_SORTS,
  signalStats,
  updateSignal,
  type ListSignalsOptions,
  type SignalCursor,
  type SignalFilter,
  type SignalPage,
  type SignalSort,
  type SortOrder,
} from '../../../../lib/db/signals-repo.js';
import { toSignalJson } from '../../../../lib/api/signal-json.js';
import { sql } from '../../../../lib/db/sql.js';
import type { Db } from '../../../../lib/db/types.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { FACTORY_EPOCH, FACTORY_SCORED_AT, makeSignal, seedSignals, signalColumnsOf } from '../../../support/signal-factory.js';

const SEEDED = 300;
const HOUR = 3_600_000;
const ORDERS: readonly SortOrder[] = ['asc', 'desc'];
const SORT_CASES = SIGNAL_SORTS.flatMap((sort) => ORDERS.map((order) => ({ sort, order })));

/** Written for the full-text tests, in a source of their own. */
const SEARCH_ROWS = [
  { sourceId: 'run-postgres', title: 'How we run Postgres in Lambda', text: '' },
  { sourceId: 'running-late', title: 'Field notes', text: 'The deploy was running late again' },
  { sourceId: 'runner', title: 'A runner guide', text: 'Nothing here stems to the verb' },
  { sourceId: 'ran', title: 'It ran once', text: 'Irregular past tenses are not stemmed' },
];

function sortValue(signal: Signal, sort: SignalSort): number {
  if (sort === 'score') return signal.score;
  return (sort === 'published_at' ? signal.publishedAt : signal.fetchedAt).getTime();
}

/** What the database should return: by the sort value, then id, as numbers, in the given order. */
function ordered(signals: readonly Signal[], sort: SignalSort, order: SortOrder): string[] {
  const ascending = [...signals].sort((a, b) => sortValue(a, sort) - sortValue(b, sort) || Number(BigInt(a.id) - BigInt(b.id)));
  return (order === 'asc' ? ascending : ascending.reverse()).map((signal) => signal.id);
}

/** Follows `next` to the end, `limit` rows at a time. */
async function allPages<T = Signal>(list: (after: SignalCursor | undefined) => Promise<SignalPage<T>>): Promise<Array<SignalPage<T>>> {
  const pages: Array<SignalPage<T>> = [];
  let next: SignalCursor | undefined;
  do {
    const page = await list(next);
    pages.push(page);
    next = page.next;
  } while (next !== undefined && pages.length < 1000);
  return pages;
}

const ids = (signals: readonly Signal[]): string[] => signals.map((signal) => signal.id);

/** Continuous percentile with linear interpolation, as Postgres's percentile_cont computes it. */
function percentileCont(sorted: readonly number[], fraction: number): number {
  const position = fraction * (sorted.length - 1);
  const lower = sorted[Math.floor(position)] ?? Number.NaN;
  const upper = sorted[Math.ceil(position)] ?? Number.NaN;
  return lower + (upper - lower) * (position - Math.floor(position));
}

function countBy(signals: readonly Signal[], key: (signal: Signal) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const signal of signals) counts[key(signal)] = (counts[key(signal)] ?? 0) + 1;
  return counts;
}

describeOnDrivers('the signals repository on $driver', ({ open }) => {
  /** Seeded once and only read. */
  let reads: Db;
  /** For the tests that write; each uses a source of its own. */
  let writes: Db;
  /** Every signal in `reads`. */
  let all: Signal[];

  beforeAll(async () => {
    const [readDatabase, writeDatabase] = await Promise.all([open(), open()]);
    reads = readDatabase.db;
    writes = writeDatabase.db;
    await seedSignals(reads, SEEDED);
    await seedSignals(reads, SEARCH_ROWS.length, { start: SEEDED, overrides: (seq) => ({ source: 'fts', ...SEARCH_ROWS[seq - SEEDED] }) });
    all = (await listSignals(reads, { asOf: FACTORY_SCORED_AT, sort: 'score', order: 'desc', limit: 1000 })).items;
  });

  async function listAll(options: SignalFilter & Partial<ListSignalsOptions> = {}): Promise<Signal[]> {
    const page = await listSignals(reads, { asOf: FACTORY_SCORED_AT, sort: 'score', order: 'desc', limit: 1000, ...options });
    expect(page.next).toBeUndefined();
    return page.items;
  }

  describe('listing', () => {
    it('returns every stored signal with the types and values it was stored with', () => {
      // Assess: seq 2 is a github repository with a discovery score, tags and a category
      expect(all).toHaveLength(SEEDED + SEARCH_ROWS.length);
      const stored = all.find((signal) => signal.source === 'github' && signal.sourceId === 'item-2');
      const given = makeSignal({}, 2);
      // salience: a row's served salience is its feed score (posts have no other; this artifact is hand-made)
      expect(stored).toMatchObject({ ...signalColumnsOf(given), salience: given.discoveryScore, score: given.discoveryScore, notifiedAt: null });
      expect(stored?.id).toMatch(/^[1-9][0-9]*$/);
      expect(stored?.updatedAt).toBeInstanceOf(Date);
    });

    it('has many ties in every sort, so paging is tested where it is hard', () => {
      for (const sort of SIGNAL_SORTS) {
        const distinct = new Set(all.map((signal) => sortValue(signal, sort))).size;
        expect(distinct, sort).toBeLessThan(all.length / 2);
      }
    });

    it.each(SORT_CASES)('builds in SQL the same JSON as toSignalJson, page by page, sorted by $sort $order', async ({ sort, order }) => {
      // Act: the JSON listing and the Signal listing of the same pages
      const asJson = await allPages((after) => listSignalsJson(reads, { asOf: FACTORY_SCORED_AT, sort, order, limit: 97, after }));
      const asSignals = await allPages((after) => listSignals(reads, { asOf: FACTORY_SCORED_AT, sort, order, limit: 97, after }));

      // Assess: the same documents (parsed, so key order and spacing do not matter) and cursors
      const parsed = asJson.flatMap((page) => page.items.map((text) => JSON.parse(text) as unknown));
      expect(parsed).toEqual(asSignals.flatMap((page) => page.items.map(toSignalJson)));
      expect(asJson.map((page) => page.next)).toEqual(asSignals.map((page) => page.next));
    });

    it('builds the JSON of notified signals, unicode text and discoveries like toSignalJson', async () => {
      // Prepare: microsecond timestamps, a notified_at, text that JSON must escape
      const tricky = { source: 'jsonshape', text: 'quote " backslash \\ newline \n tab \t emoji 🚀 ünïcode' };
      await seedSignals(writes, 30, { overrides: () => tricky });
      await writes.query(sql`UPDATE signals SET notified_at = now() WHERE source = 'jsonshape' AND id % 2 = 0`);

      // Act
      const json = await listSignalsJson(writes, { asOf: FACTORY_SCORED_AT, source: 'jsonshape', sort: 'fetched_at', order: 'asc', limit: 100 });
      const signals = await listSignals(writes, { asOf: FACTORY_SCORED_AT, source: 'jsonshape', sort: 'fetched_at', order: 'asc', limit: 100 });
      const discoveryJson = await listDiscoveriesJson(reads, { asOf: FACTORY_SCORED_AT, limit: 1000 });
      const discoveries = await listDiscoveries(reads, { asOf: FACTORY_SCORED_AT, limit: 1000 });

      // Assess
      expect(signals.items.some((signal) => signal.notifiedAt !== null)).toBe(true);
      expect(json.items.map((text) => JSON.parse(text) as unknown)).toEqual(signals.items.map(toSignalJson));
      expect(discoveries.items.length).toBeGreaterThan(0);
      expect(discoveryJson.items.map((text) => JSON.parse(text) as unknown)).toEqual(discoveries.items.map(toSignalJson));
    });

    it.each(SORT_CASES)('orders by $sort $order with id as the tie-breaker', async ({ sort, order }) => {
      const items = await listAll({ sort, order });

      expect(ids(items)).toEqual(ordered(all, sort, order));
    });
  });

  describe('filters', () => {
    const since = new Date(FACTORY_EPOCH.getTime() - 48 * HOUR);
    const until = new Date(FACTORY_EPOCH.getTime() - 12 * HOUR);
    const cases: ReadonlyArray<{ name: string; filter: SignalFilter; keep: (signal: Signal) => boolean }> = [
      { name: 'source', filter: { source: 'arxiv' }, keep: (s) => s.source === 'arxiv' },
      { name: 'kind', filter: { kind: 'release' }, keep: (s) => s.kind === 'release' },
      { name: 'kinds', filter: { kinds: ['preprint', 'story'] }, keep: (s) => s.kind === 'preprint' || s.kind === 'story' },
      { name: 'category', filter: { category: 'security' }, keep: (s) => s.category === 'security' },
      { name: 'status', filter: { status: 'paused' }, keep: (s) => s.status === 'paused' },
      { name: 'minScore (inclusive)', filter: { minScore: 50 }, keep: (s) => s.score >= 50 },
      { name: 'since (inclusive)', filter: { since }, keep: (s) => s.publishedAt >= since },
      { name: 'until (exclusive)', filter: { until }, keep: (s) => s.publishedAt < until },
      { name: 'one tag', filter: { tags: ['rust'] }, keep: (s) => s.tags.includes('rust') },
      { name: 'all of two tags', filter: { tags: ['rust', 'wasm'] }, keep: (s) => s.tags.includes('rust') && s.tags.includes('wasm') },
      {
        name: 'source, kind, status and minScore together',
        filter: { source: 'github', kind: 'release', status: 'active', minScore: 30 },
        keep: (s) => s.source === 'github' && s.kind === 'release' && s.status === 'active' && s.score >= 30,
      },
      {
        name: 'category, tag and a date window together',
        filter: { category: 'research', tags: ['ai'], since, until },
        keep: (s) => s.category === 'research' && s.tags.includes('ai') && s.publishedAt >= since && s.publishedAt < until,
      },
      {
        name: 'kind and kinds together (both apply)',
        filter: { kind: 'post', kinds: ['post', 'story'] },
        keep: (s) => s.kind === 'post',
      },
    ];

    it.each(cases)('by $name returns exactly the matching signals', async ({ filter, keep }) => {
      // Prepare
      const expected = all.filter(keep);

      // Act
      const items = await listAll({ ...filter, sort: 'published_at', order: 'desc' });

      // Assess: the case selects some but not all, so it tells the filter apart from none
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(all.length);
      expect(ids(items)).toEqual(ordered(expected, 'published_at', 'desc'));
    });

    it('matches nothing for an empty list of kinds and everything for an empty list of tags', async () => {
      expect(await listAll({ kinds: [] })).toEqual([]);
      expect(await listAll({ tags: [] })).toHaveLength(all.length);
    });

    it('treats blank search text as no search', async () => {
      expect(await listAll({ q: '   ' })).toHaveLength(all.length);
    });
  });

  describe('full-text search', () => {
    const found = async (q: string, filter: SignalFilter = {}): Promise<string[]> =>
      (await listAll({ ...filter, q })).map((signal) => signal.sourceId).sort();

    it('finds the forms of a word through English stemming', async () => {
      // 'running', 'runs' and 'run' share the stem 'run'; 'runner' and 'ran' do not
      expect(await found('running')).toEqual(['run-postgres', 'running-late']);
      expect(await found('runs')).toEqual(['run-postgres', 'running-late']);
    });

    it('understands web-search syntax: phrases, exclusion and or', async () => {
      expect(await found('"run postgres"')).toEqual(['run-postgres']);
      expect(await found('run -postgres')).toEqual(['running-late']);
      expect(await found('lambda or irregular')).toEqual(['ran', 'run-postgres']);
    });

    it('combines with the other filters', async () => {
      expect(await found('quantum', { source: 'fts' })).toEqual([]);
      const quantum = await found('quantum');
      expect(quantum.length).toBeGreaterThan(0);
      expect(quantum).toEqual(all.filter((s) => /quantum/i.test(`${s.title} ${s.text}`)).map((s) => s.sourceId).sort());
    });

    it('treats punctuation and operators in the query as text, never as SQL', async () => {
      expect(await found("'running';--")).toEqual(['run-postgres', 'running-late']);
      expect(await found("run'); DROP TABLE signals; --")).toEqual([]);
      expect(await listAll()).toHaveLength(all.length);
    });
  });

  describe('keyset paging', () => {
    it.each(SORT_CASES)('by $sort $order: pages join into the full result, with no duplicate and no gap', async ({ sort, order }) => {
      // Act
      const pages = await allPages((after) => listSignals(reads, { asOf: FACTORY_SCORED_AT, sort, order, limit: 7, after }));

      // Assess
      const paged = pages.flatMap((page) => ids(page.items));
      expect(paged).toEqual(ordered(all, sort, order));
      expect(new Set(paged).size).toBe(all.length);
      expect(pages.slice(0, -1).every((page) => page.items.length === 7)).toBe(true);
      expect(pages.at(-1)?.next).toBeUndefined();
    });

    it('pages a filtered and searched listing the same way', async () => {
      const filter: SignalFilter = { kinds: ['post', 'story'], status: 'active', q: 'quantum or kernel' };
      const full = await listAll({ ...filter, sort: 'fetched_at', order: 'asc' });

      const pages = await allPages((after) => listSignals(reads, { asOf: FACTORY_SCORED_AT, ...filter, sort: 'fetched_at', order: 'asc', limit: 4, after }));

      expect(full.length).toBeGreaterThan(8);
      expect(pages.flatMap((page) => ids(page.items))).toEqual(ids(full));
    });

    it('ends without a cursor when the last page is exactly full', async () => {
      const page = await listSignals(reads, { asOf: FACTORY_SCORED_AT, source: 'fts', sort: 'score', order: 'desc', limit: SEARCH_ROWS.length });

      expect(page.items).toHaveLength(SEARCH_ROWS.length);
      expect(page.next).toBeUndefined();
    });

    it('gives a number cursor for scores (the decay key, not the served score) and a microsecond ISO timestamp for dates', async () => {
      const byScore = await listSignals(reads, { asOf: FACTORY_SCORED_AT, sort: 'score', order: 'desc', limit: 1 });
      const byDate = await listSignals(reads, { asOf: FACTORY_SCORED_AT, sort: 'published_at', order: 'desc', limit: 1 });

      expect(byScore.next).toEqual({ value: expect.any(Number) as number, id: byScore.items[0]?.id });
      expect(byScore.next?.value).toBeGreaterThan(byScore.items[0]?.score ?? 0);
      expect(byDate.next?.value).toBe(byDate.items[0]?.publishedAt.toISOString().replace('Z', '000Z'));
    });

    it('refuses a malformed cursor (InvalidCursorError, a 400 at the edge) before Postgres sees it', async () => {
      const bad = [
        { sort: 'score', after: { value: 'high', id: '1' } },
        { sort: 'score', after: { value: Number.NaN, id: '1' } },
        { sort: 'score', after: { value: 1, id: 'abc' } },
        { sort: 'score', after: { value: 1, id: '99999999999999999999' } },
        { sort: 'published_at', after: { value: 5, id: '1' } },
        { sort: 'published_at', after: { value: 'yesterday', id: '1' } },
        { sort: 'published_at', after: { value: '2026-02-30T00:00:00Z', id: '1' } },
        { sort: 'fetched_at', after: { value: '2026-01-01 00:00:00', id: '1' } },
      ] as const;
      for (const { sort, after } of bad) {
        await expect(listSignals(reads, { asOf: FACTORY_SCORED_AT, sort, order: 'desc', limit: 5, after }), JSON.stringify(after)).rejects.toThrow(InvalidCursorError);
      }
    });

    it('refuses a page size outside 1 to 1000, or an unknown sort or order, as a programming error', async () => {
      for (const limit of [0, -1, 1.5, 1001, Number.NaN]) {
        await expect(listSignals(reads, { asOf: FACTORY_SCORED_AT, sort: 'score', order: 'desc', limit })).rejects.toThrow(RangeError);
      }
      // What only a caller that skipped validation could send: names of Object.prototype members.
      await expect(listSignals(reads, { asOf: FACTORY_SCORED_AT, sort: 'constructor' as SignalSort, order: 'desc', limit: 5 })).rejects.toThrow(RangeError);
      await expect(listSignals(reads, { asOf: FACTORY_SCORED_AT, sort: 'score', order: 'toString' as SortOrder, limit: 5 })).rejects.toThrow(RangeError);
    });

    it('keeps timestamps that differ below a millisecond apart across pages', async () => {
      // Prepare: ten signals whose fetched_at differ by microseconds only
      await seedSignals(writes, 10, { overrides: { source: 'micro' } });
      await writes.query(sql`
        UPDATE signals SET fetched_at = timestamptz '2026-03-01T00:00:00.123Z' + (id % 4)::int * interval '100 microseconds'
        WHERE source = 'micro'`);
      const full = (await listSignals(writes, { asOf: FACTORY_SCORED_AT, source: 'micro', sort: 'fetched_at', order: 'desc', limit: 100 })).items;

      // Act
      const pages = await allPages((after) => listSignals(writes, { asOf: FACTORY_SCORED_AT, source: 'micro', sort: 'fetched_at', order: 'desc', limit: 1, after }));

      // Assess: the same ten in the same order; with a millisecond cursor some would be skipped
      expect(new Set(full.map((signal) => signal.fetchedAt.getTime())).size).toBe(1);
      expect(pages.flatMap((page) => ids(page.items))).toEqual(ids(full));
      expect(full).toHaveLength(10);
    });
  });

  describe('discoveries', () => {
    const isDiscovery = (s: Signal): boolean =>
      (ARTIFACT_KINDS as readonly string[]).includes(s.kind) && s.discoveryScore !== null && s.status !== 'archived';
    const byDiscovery = (signals: readonly Signal[]): string[] =>
      [...signals].sort((a, b) => (b.discoveryScore ?? 0) - (a.discoveryScore ?? 0) || Number(BigInt(b.id) - BigInt(a.id))).map((s) => s.id);

    it('lists scored artifacts that are not archived, best first, paged without gaps', async () => {
      const expected = byDiscovery(all.filter(isDiscovery));

      const pages = await allPages((after) => listDiscoveries(reads, { asOf: FACTORY_SCORED_AT, limit: 9, after }));

      expect(expected.length).toBeGreaterThan(30);
      expect(pages.flatMap((page) => ids(page.items))).toEqual(expected);
      expect(pages.at(-1)?.next).toBeUndefined();
    });

    it('applies a minimum discovery score', async () => {
      const expected = byDiscovery(all.filter((s) => isDiscovery(s) && (s.discoveryScore ?? 0) >= 60.5));

      const page = await listDiscoveries(reads, { asOf: FACTORY_SCORED_AT, minScore: 60.5, limit: 1000 });

      expect(expected.length).toBeGreaterThan(0);
      expect(ids(page.items)).toEqual(expected);
    });
  });

  describe('statistics', () => {
    it('counts by source, category and status and gives score percentiles, as JS computes them', async () => {
      // Prepare
      const scores = all.map((signal) => signal.score).sort((a, b) => a - b);

      // Act
      const stats = await signalStats(reads, FACTORY_SCORED_AT);

      // Assess
      expect(stats.total).toBe(all.length);
      expect(stats.bySource).toEqual(countBy(all, (s) => s.source));
      expect(stats.byCategory).toEqual(countBy(all, (s) => s.category ?? 'unclassified'));
      expect(stats.byStatus).toEqual(countBy(all, (s) => s.status));
      expect(stats.score.p50).toBeCloseTo(percentileCont(scores, 0.5), 9);
      expect(stats.score.p90).toBeCloseTo(percentileCont(scores, 0.9), 9);
      expect(stats.score.p99).toBeCloseTo(percentileCont(scores, 0.99), 9);
    });

    it('gives zero counts and null percentiles for an empty database', async () => {
      const empty = await open();

      expect(await signalStats(empty.db)).toEqual({
        total: 0,
        bySource: {},
        byCategory: {},
        byStatus: {},
        score: { p50: null, p90: null, p99: null },
      });
    });
  });

  describe('one signal by id', () => {
    const MALFORMED = ['abc', '0', '-1', '01', '1.5', '', ' 1', '1e3', '9'.repeat(19), '1 OR 1=1'];
    const UNKNOWN = '999999999999999999';

    async function oneSignal(source: string): Promise<Signal> {
      await seedSignals(writes, 1, { overrides: { source, status: 'active', tags: ['original'] } });
      const [signal] = (await listSignals(writes, { asOf: FACTORY_SCORED_AT, source, sort: 'score', order: 'desc', limit: 1 })).items;
      if (signal === undefined) throw new Error('seeded signal not found');
      return signal;
    }

    it('is found by its id', async () => {
      const signal = await oneSignal('get_one');

      expect(await getSignal(writes, signal.id)).toEqual(signal);
    });

    it('is undefined for an unknown id and for a malformed one, which never reaches Postgres', async () => {
      const unreachable = { query: () => Promise.reject(new Error('no query expected')) };

      expect(await getSignal(writes, UNKNOWN)).toBeUndefined();
      expect(await updateSignal(writes, UNKNOWN, { status: 'paused' })).toBeUndefined();
      expect(await archiveSignal(writes, UNKNOWN)).toBeUndefined();
      for (const id of MALFORMED) {
        expect(await getSignal(unreachable, id), id).toBeUndefined();
        expect(await updateSignal(unreachable, id, { status: 'paused' }), id).toBeUndefined();
        expect(await archiveSignal(unreachable, id), id).toBeUndefined();
      }
    });

    it('is updated in status and tags, with updated_at moved and everything else kept', async () => {
      // Prepare
      const signal = await oneSignal('update_one');

      // Act
      const paused = await updateSignal(writes, signal.id, { status: 'paused' });
      const retagged = await updateSignal(writes, signal.id, { tags: ['reviewed', 'keep'] });

      // Assess
      expect(paused).toEqual({ ...signal, status: 'paused', updatedAt: paused?.updatedAt });
      expect(paused?.updatedAt.getTime()).toBeGreaterThanOrEqual(signal.updatedAt.getTime());
      expect(retagged).toEqual({ ...signal, status: 'paused', tags: ['reviewed', 'keep'], updatedAt: retagged?.updatedAt });
      expect(await getSignal(writes, signal.id)).toEqual(retagged);
    });

    it('is left alone by an empty patch', async () => {
      const signal = await oneSignal('update_none');

      expect(await updateSignal(writes, signal.id, {})).toEqual(signal);
    });

    it('can have its tags cleared', async () => {
      const signal = await oneSignal('update_clear');

      expect((await updateSignal(writes, signal.id, { tags: [] }))?.tags).toEqual([]);
    });

    it('is archived once: archiving again keeps the first updated_at', async () => {
      // Prepare
      const signal = await oneSignal('archive_one');

      // Act
      const first = await archiveSignal(writes, signal.id);
      const second = await archiveSignal(writes, signal.id);

      // Assess
      expect(first).toEqual({ ...signal, status: 'archived', updatedAt: first?.updatedAt });
      expect(second).toEqual(first);
    });
  });
});
