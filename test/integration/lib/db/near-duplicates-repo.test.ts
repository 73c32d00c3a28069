// The near-duplicate store on both drivers: moving signals into groups (a merge relabels every
// member, each group's mention_count is its distinct sources, a stale count is repaired, a rerun
// writes nothing), fingerprints and their band keys (a changed text adds keys beside stored ones),
// and the candidate read (the latest per key within the window).
import { beforeAll, expect, it } from 'vitest';
import { findCandidates, moveToGroups, storeFingerprints } from '../../../../lib/db/near-duplicates-repo.js';
import { sql } from '../../../../lib/db/sql.js';
import type { Db } from '../../../../lib/db/types.js';
import type { SourceName } from '../../../../lib/model/sources.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { seedSignals } from '../../../support/signal-factory.js';

const SOURCES: readonly SourceName[] = ['hackernews', 'reddit', 'x', 'hackernews', 'github', 'arxiv', 'reddit', 'x'];
const HOUR = 3_600_000;

describeOnDrivers('near-duplicates store on $driver', ({ open }) => {
  let db: Db;
  /** Eight signals, ids ascending, of the sources above. */
  let ids: string[];

  async function groups(): Promise<Array<[string, string | null, number]>> {
    const rows = await db.query<{ id: string; group: string | null; count: number }>(sql`
      SELECT id::text AS id, duplicate_group::text AS "group", mention_count AS count FROM signals ORDER BY id`);
    return rows.map((row) => [row.id, row.group, row.count]);
  }

  beforeAll(async () => {
    db = (await open()).db;
    await seedSignals(db, SOURCES.length, { overrides: (seq) => ({ source: SOURCES[seq] ?? 'x', sourceId: `nd-${String(seq)}` }) });
    ids = (await db.query<{ id: string }>(sql`SELECT id::text AS id FROM signals ORDER BY id`)).map((row) => row.id);
  });

  it('groups signals, merges a group into another with all its members, and counts distinct sources', async () => {
    const [a, b, c, d, e, f] = ids as [string, string, string, string, string, string];
    // Two groups: {a, b} (hackernews, reddit) and {d, e, f} (hackernews, github, arxiv).
    expect(await moveToGroups(db, [{ id: a, group: a }, { id: b, group: a }])).toBe(2);
    expect(await moveToGroups(db, [{ id: d, group: d }, { id: e, group: d }, { id: f, group: d }])).toBe(3);
    expect((await groups()).slice(0, 6)).toEqual([
      [a, a, 2], [b, a, 2], [c, null, 1], [d, d, 3], [e, d, 3], [f, d, 3],
    ]);
    // c (x) joins d's group, and d's group merges into a's: its root d moves, its members follow.
    expect(await moveToGroups(db, [{ id: c, group: a }, { id: d, group: a }])).toBe(4);
    expect((await groups()).slice(0, 6)).toEqual([
      [a, a, 5], [b, a, 5], [c, a, 5], [d, a, 5], [e, a, 5], [f, a, 5],
    ]);
    // A rerun writes nothing.
    expect(await moveToGroups(db, [{ id: c, group: a }, { id: d, group: a }])).toBe(0);
  });

  it('repairs a stale mention count of a member when its group is touched, without counting it as regrouped', async () => {
    const [a, b, , , , , g] = ids as [string, string, string, string, string, string, string];
    await db.query(sql`UPDATE signals SET mention_count = 2 WHERE id = ${b}::bigint`);
    // g is a reddit signal: the group's sources stay five.
    expect(await moveToGroups(db, [{ id: g, group: a }])).toBe(1);
    const rows = await groups();
    expect(rows.filter(([, group]) => group === a).map(([, , count]) => count)).toEqual([5, 5, 5, 5, 5, 5, 5]);
  });

  it('stores a fingerprint once, and a changed text adds its new band keys beside the stored ones', async () => {
    const [, , , , , , , h] = ids as [string, string, string, string, string, string, string, string];
    const publishedAt = new Date('2026-11-01T00:00:00Z');
    const bands = async (): Promise<string[]> =>
      (await db.query<{ key: string }>(sql`SELECT band_key::text AS key FROM signal_lsh_bands WHERE signal_id = ${h}::bigint ORDER BY band_key`)).map((row) => row.key);
    await storeFingerprints(db, [{ signalId: h, publishedAt, tokens: [1, 2, 3], bandKeys: [10, 20, 30] }]);
    await storeFingerprints(db, [{ signalId: h, publishedAt, tokens: [1, 2, 3], bandKeys: [10, 20, 30] }]);
    expect(await bands()).toEqual(['10', '20', '30']);
    await storeFingerprints(db, [{ signalId: h, publishedAt, tokens: [1, 2, 4], bandKeys: [10, 20, 40] }]);
    expect(await bands()).toEqual(['10', '20', '30', '40']);
    const [stored] = await db.query<{ tokens: number[] }>(sql`SELECT tokens FROM signal_fingerprints WHERE signal_id = ${h}::bigint`);
    expect(stored?.tokens).toEqual([1, 2, 4]);
  });

  it('finds the latest candidates per band key within the window', async () => {
    const [a, b, c] = ids as [string, string, string];
    const base = Date.parse('2026-11-10T00:00:00.123Z');
    await storeFingerprints(db, [
      { signalId: a, publishedAt: new Date(base), tokens: [5, 6, 7], bandKeys: [99] },
      { signalId: b, publishedAt: new Date(base + HOUR), tokens: [5, 6, 8], bandKeys: [99] },
      { signalId: c, publishedAt: new Date(base + 200 * HOUR), tokens: [5, 6, 9], bandKeys: [99] },
    ]);
    const probe = { key: 99, from: new Date(base - HOUR), to: new Date(base + 2 * HOUR) };
    const one = await findCandidates(db, [probe], 1);
    expect(one.map((candidate) => candidate.id)).toEqual([b]);
    const both = await findCandidates(db, [probe], 5);
    expect(both.map((candidate) => candidate.id).sort()).toEqual([a, b].sort());
    expect(both.find((candidate) => candidate.id === a)?.tokens).toEqual([5, 6, 7]);
    // A window's ends are inclusive, to the millisecond.
    const exact = await findCandidates(db, [{ key: 99, from: new Date(base + HOUR), to: new Date(base + HOUR) }], 5);
    expect(exact.map((candidate) => candidate.id)).toEqual([b]);
    expect(await findCandidates(db, [{ key: 99, from: new Date(base + HOUR + 1), to: new Date(base + 2 * HOUR) }], 5)).toEqual([]);
  });
});
