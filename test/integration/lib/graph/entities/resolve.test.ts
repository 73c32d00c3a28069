// Entity resolution in the graph-build job, on both drivers, over the recorded source pages through
// the real adapters, each page ingested and then built as the job's next run would: ferrisdev's GitHub account and its Hacker News account (a Show HN linking its own
// repository) become one entity automatically; an X account and an arXiv author sharing a name go
// to the review queue; two people with the same name and nothing else in common stay two; the
// same name with the same affiliation merges; a rerun adds nothing; a paper with a thousand
// authors is bounded.
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../../../lib/db/sql.js';
import type { Db } from '../../../../../lib/db/types.js';
import { CANDIDATE_FLOOR, MERGE_THRESHOLD } from '../../../../../lib/graph/entities/score.js';
import { MAX_MENTIONS_PER_SIGNAL } from '../../../../../lib/graph/entities/extract.js';
import { createKeywordClassifier } from '../../../../../lib/harvest/classify/index.js';
import { buildGraph } from '../../../../../lib/graph/build.js';
import { ingestItems } from '../../../../../lib/harvest/ingest.js';
import type { HarvestedItem } from '../../../../../lib/harvest/types.js';
import { describeOnDrivers } from '../../../../support/describe-on-drivers.js';
import { testJobContext } from '../../../../support/job-context.js';
import { recordedItems } from '../../../../support/entity-fixtures.js';
import { useSourceServer } from '../../../../support/source-server.js';

const server = useSourceServer();
const RELEASE_URL = 'https://github.com/ferrisdev/tiny-infer/releases/tag/v0.2.0';

/** A harvest storing `items`, then the graph job's run after it (settled at once: nothing else writes). */
async function ingest(db: Db, items: readonly HarvestedItem[]): Promise<void> {
  await ingestItems(db, items, { classifier: createKeywordClassifier(), nowMs: Date.now() });
  await buildGraph(db, testJobContext({ job: 'graph-build' }), { settleMs: 0 });
}

/** The current entity of an alias (`source`, handle as written). */
async function entityOf(db: Db, source: string, handle: string): Promise<string | undefined> {
  const rows = await db.query<{ id: string }>(sql`SELECT entity_id::text AS id FROM entity_aliases WHERE source = ${source} AND handle = ${handle} ORDER BY id`);
  return rows[0]?.id;
}

async function counts(db: Db): Promise<Record<string, number>> {
  const [row] = await db.query<Record<string, number>>(sql`
    SELECT (SELECT count(*)::int FROM entities) AS entities, (SELECT count(*)::int FROM entity_aliases) AS aliases,
           (SELECT count(*)::int FROM entity_signals) AS mentions, (SELECT count(*)::int FROM entity_merge_candidates) AS candidates`);
  return row ?? {};
}

/** A preprint as the arXiv adapter reports it (lib/harvest/sources/arxiv.ts). */
function paper(id: string, authors: ReadonlyArray<{ name: string; affiliation?: string }>, tags: string[] = ['cs.lg']): HarvestedItem {
  return {
    source: 'arxiv',
    sourceId: id,
    kind: 'preprint',
    url: `https://arxiv.org/abs/${id}v1`,
    title: `Paper ${id}`,
    text: 'An abstract.',
    author: authors.length <= 3 ? authors.map((a) => a.name).join(', ') : `${authors.slice(0, 3).map((a) => a.name).join(', ')} et al.`,
    publishedAt: new Date('2025-01-07T18:59:58Z'),
    engagement: {},
    tags,
    entities: authors.map(({ name, affiliation }) => ({ kind: 'person', role: 'author', source: 'arxiv', handle: name, unique: false, ...(affiliation === undefined ? {} : { affiliation }) })),
  };
}

describe('the documented policy', () => {
  it('keeps the floor below the threshold, and a name alone between them', () => {
    expect(CANDIDATE_FLOOR).toBeLessThan(MERGE_THRESHOLD);
  });
});

describeOnDrivers('entity resolution in the graph job ($driver)', ({ open }) => {
  let recorded: Awaited<ReturnType<typeof recordedItems>>;

  beforeAll(async () => {
    recorded = await recordedItems(server);
  });

  describe('over the recorded pages of four sources', () => {
    let db: Db;

    beforeAll(async () => {
      db = (await open()).db;
      // GitHub first, then HN, then arXiv and X: each source's page as one harvest run. ferrisdev's
      // Show HN links a release page of its repository (the recorded story links the repository's
      // own URL, which the harvest would store once, as the GitHub signal).
      await ingest(db, recorded.github);
      await ingest(db, recorded.hackernews.map((item) => (item.sourceId === '42612345' ? { ...item, url: RELEASE_URL } : item)));
      await ingest(db, [...recorded.arxiv, ...recorded.x]);
    }, 120_000);

    it('merges the GitHub owner and the HN account that posted its repository, automatically and with the evidence', async () => {
      const github = await entityOf(db, 'github', 'ferrisdev');
      expect(github).toBeDefined();
      expect(await entityOf(db, 'hackernews', 'ferrisdev')).toBe(github);
      const [merge] = await db.query<{ status: string; decidedBy: string; score: number; evidence: { cooccurrence: { shared: string[] } | null } }>(sql`
        SELECT status, decided_by AS "decidedBy", score, evidence FROM entity_merge_candidates WHERE into_entity_id = ${github}::bigint`);
      expect(merge).toMatchObject({ status: 'accepted', decidedBy: 'auto' });
      expect(merge?.score).toBeGreaterThanOrEqual(MERGE_THRESHOLD);
      expect(merge?.evidence.cooccurrence?.shared).toEqual(['github:ferrisdev/tiny-infer']);
    });

    it('records the owner, the repository and the people as entities of their kinds, with aliases per source', async () => {
      const kinds = await db.query<{ handle: string; kind: string; source: string; url: string | null }>(sql`
        SELECT a.handle, e.kind, a.source, a.url FROM entity_aliases a JOIN entities e ON e.id = a.entity_id
        WHERE a.handle IN ('ferrisdev', 'evalkit', 'ferrisdev/tiny-infer', 'Universidad de Chile', 'ana_ribeiro')`);
      expect(kinds.sort((a, b) => (`${a.handle.toLowerCase()} ${a.source}` < `${b.handle.toLowerCase()} ${b.source}` ? -1 : 1))).toEqual([
        { handle: 'ana_ribeiro', kind: 'person', source: 'x', url: 'https://x.com/ana_ribeiro' },
        { handle: 'evalkit', kind: 'organization', source: 'github', url: 'https://github.com/evalkit' },
        { handle: 'ferrisdev', kind: 'person', source: 'github', url: 'https://github.com/ferrisdev' },
        { handle: 'ferrisdev', kind: 'person', source: 'hackernews', url: 'https://news.ycombinator.com/user?id=ferrisdev' },
        { handle: 'ferrisdev/tiny-infer', kind: 'repository', source: 'github', url: 'https://github.com/ferrisdev/tiny-infer' },
        { handle: 'Universidad de Chile', kind: 'organization', source: 'arxiv', url: null },
      ]);
      // The repository entity is named by the repository itself and by the HN story linking it.
      const signals = await db.query<{ source: string }>(sql`
        SELECT s.source FROM entity_signals m JOIN entity_aliases a ON a.id = m.alias_id JOIN signals s ON s.id = m.signal_id
        WHERE a.handle = 'ferrisdev/tiny-infer' ORDER BY s.source`);
      expect(signals.map((row) => row.source)).toEqual(['github', 'hackernews']);
    });

    it('queues, and does not merge, an X account and an arXiv author who share only a name', async () => {
      const x = await entityOf(db, 'x', 'ana_ribeiro');
      const arxiv = await entityOf(db, 'arxiv', 'Ana Ribeiro');
      expect(x).toBeDefined();
      expect(arxiv).toBeDefined();
      expect(x).not.toBe(arxiv);
      const pending = await db.query<{ score: number; evidence: { name: { similarity: number } } }>(sql`
        SELECT score, evidence FROM entity_merge_candidates
        WHERE status = 'pending' AND ARRAY[entity_id, into_entity_id] @> ARRAY[${x}::bigint, ${arxiv}::bigint]`);
      expect(pending).toHaveLength(1);
      expect(pending[0]?.score).toBeGreaterThanOrEqual(CANDIDATE_FLOOR);
      expect(pending[0]?.score).toBeLessThan(MERGE_THRESHOLD);
      expect(pending[0]?.evidence.name.similarity).toBe(1);
    });

    it('adds nothing when the same pages are ingested again and the job rebuilds from the start', async () => {
      const before = await counts(db);
      await ingest(db, recorded.github);
      await ingest(db, [...recorded.hackernews.map((item) => (item.sourceId === '42612345' ? { ...item, url: RELEASE_URL } : item)), ...recorded.arxiv, ...recorded.x]);
      const rebuilt = await buildGraph(db, testJobContext({ job: 'graph-build' }), { restart: true, settleMs: 0 });
      expect(rebuilt.signals).toBeGreaterThan(0);
      expect(await counts(db)).toEqual(before);
    });
  });

  it('keeps two people with the same name and nothing else in common as two entities', async () => {
    const { db } = await open();
    await ingest(db, [paper('2501.10001', [{ name: 'Wei Zhang' }, { name: 'Alice Moreau' }], ['cs.lg'])]);
    await ingest(db, [paper('2501.20002', [{ name: 'Wei Zhang' }, { name: 'Bruno Costa' }], ['q-bio.nc'])]);
    const people = await db.query<{ id: string }>(sql`
      SELECT DISTINCT a.entity_id::text AS id FROM entity_aliases a WHERE a.handle = 'Wei Zhang'`);
    expect(people).toHaveLength(2);
    // A name alone is a candidate for review, never a merge.
    const [candidate] = await db.query<{ status: string; score: number }>(sql`SELECT status, score FROM entity_merge_candidates`);
    expect(candidate).toEqual({ status: 'pending', score: 0.5 });
  }, 60_000);

  it('merges the same name with the same affiliation, or with a shared co-author, automatically', async () => {
    const { db } = await open();
    await ingest(db, [paper('2501.30001', [{ name: 'Wei Zhang', affiliation: 'Tsinghua University' }, { name: 'Alice Moreau' }])]);
    await ingest(db, [paper('2501.30002', [{ name: 'Wei Zhang', affiliation: 'Tsinghua University' }, { name: 'Bruno Costa' }])]);
    // The third paper's Alice shares no co-author with the first's: queued. The fourth's writes with Wei Zhang again: merged.
    await ingest(db, [paper('2501.30003', [{ name: 'Alice Moreau' }, { name: 'Carla Diaz' }])]);
    await ingest(db, [paper('2501.30004', [{ name: 'Alice Moreau' }, { name: 'Wei Zhang' }])]);
    const entitiesOf = async (handle: string): Promise<number> =>
      new Set((await db.query<{ id: string }>(sql`SELECT entity_id::text AS id FROM entity_aliases WHERE handle = ${handle}`)).map((r) => r.id)).size;
    expect(await entitiesOf('Wei Zhang')).toBe(1);
    expect(await entitiesOf('Alice Moreau')).toBe(2);
    const merges = await db.query<{ alias: string; status: string; affiliation: string | null; shared: string | null }>(sql`
      SELECT evidence->>'alias' AS alias, status, evidence->>'affiliation' AS affiliation, evidence->'cooccurrence'->'shared'->>0 AS shared
      FROM entity_merge_candidates ORDER BY id`);
    expect(merges).toEqual([
      { alias: 'arxiv:Wei Zhang', status: 'accepted', affiliation: 'tsinghua university', shared: null },
      { alias: 'arxiv:Alice Moreau', status: 'pending', affiliation: null, shared: null },
      { alias: 'arxiv:Alice Moreau', status: 'accepted', affiliation: null, shared: 'name:wei zhang' },
      { alias: 'arxiv:Wei Zhang', status: 'accepted', affiliation: null, shared: 'name:alice moreau' },
    ]);
  }, 60_000);

  it('bounds the mentions of a paper with a thousand authors', async () => {
    const { db } = await open();
    const authors = Array.from({ length: 1000 }, (_, i) => ({ name: `Author Number${String(i)}` }));
    const started = performance.now();
    await ingest(db, [{ ...paper('2501.40001', []), author: authors.map((a) => a.name).join(', '), entities: undefined }]);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect((await counts(db)).mentions).toBe(MAX_MENTIONS_PER_SIGNAL);
  }, 60_000);

  it('stores the mentions a source reports with the signal, and resolves them only in the graph job', async () => {
    // Prepare
    const db = (await open()).db;
    const item = paper('2501.50001', [{ name: 'Ines Duarte', affiliation: 'Universidade de Lisboa' }]);

    // Act: the harvest alone, then the job's run
    await ingestItems(db, [item], { classifier: createKeywordClassifier(), nowMs: Date.now() });
    const [stored] = await db.query<{ mentions: unknown }>(sql`SELECT entity_mentions AS mentions FROM signals WHERE source_id = '2501.50001'`);
    const before = await counts(db);
    const built = await buildGraph(db, testJobContext({ job: 'graph-build' }), { settleMs: 0 });

    // Assess
    expect(stored?.mentions).toEqual([{ kind: 'person', role: 'author', source: 'arxiv', handle: 'Ines Duarte', unique: false, affiliation: 'Universidade de Lisboa' }]);
    expect(before).toMatchObject({ entities: 0, mentions: 0 });
    expect(built.entities.new).toBeGreaterThan(0);
    expect(await counts(db)).toMatchObject({ mentions: built.entities.new + built.entities.known + built.entities.merged + built.entities.queued });
  });
});
