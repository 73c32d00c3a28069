// The graph as the harvest builds it: recorded responses of all five sources, in their real formats
// (test/fixtures/sources/graph/), about one paper — the arXiv entry, its GitHub repository, a Show
// HN of its release, a Reddit link to its PDF, an X post naming it — harvested by the real adapters
// and pipeline on both drivers, then linked by the graph job's work as its next run would. They
// become one connected component with the right edge types; a rerun changes no edge; and posts
// harvested before the artifacts they discuss keep pending edges that attach when the artifacts arrive.
import { beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../../../lib/config.js';
import { sql } from '../../../../lib/db/sql.js';
import type { Db } from '../../../../lib/db/types.js';
import { buildGraph } from '../../../../lib/graph/build.js';
import { createKeywordClassifier } from '../../../../lib/harvest/classify/index.js';
import { runHarvest } from '../../../../lib/harvest/pipeline.js';
import { createSources } from '../../../../lib/harvest/sources/index.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { testJobContext } from '../../../support/job-context.js';
import { fixture, json, recordingSleep, useSourceServer, type ReceivedRequest, type Reply, sourceEnv } from '../../../support/source-server.js';

const SOURCES = ['hackernews', 'github', 'arxiv', 'reddit', 'x'] as const;
type Source = (typeof SOURCES)[number];

const EMPTY: Record<Source, () => Reply> = {
  hackernews: () => json({ hits: [], nbHits: 0, nbPages: 0, page: 0, hitsPerPage: 5 }),
  github: () => json({ total_count: 0, incomplete_results: false, items: [] }),
  arxiv: () => ({ status: 200, headers: { 'content-type': 'application/atom+xml' }, body: fixture('graph/arxiv.xml').replace(/<entry>[\s\S]*<\/entry>/, '') }),
  reddit: () => json({ kind: 'Listing', data: { after: null, dist: 0, children: [] } }),
  x: () => json({ meta: { result_count: 0 } }),
};

const RECORDED: Record<Source, () => Reply> = {
  hackernews: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: fixture('graph/hackernews.json') }),
  github: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: fixture('graph/github.json') }),
  arxiv: () => ({ status: 200, headers: { 'content-type': 'application/atom+xml' }, body: fixture('graph/arxiv.xml') }),
  reddit: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: fixture('graph/reddit.json') }),
  x: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: fixture('graph/x.json') }),
};

/** Which sources answer with their recorded items; the others answer empty. */
let answering = new Set<Source>(SOURCES);

const server = useSourceServer((request: ReceivedRequest) => {
  if (request.path === '/reddit-auth/api/v1/access_token') return json({ access_token: 'graph-token', expires_in: 86_400 });
  const source = SOURCES.find((name) => request.path.startsWith(`/${name}/`));
  if (source === undefined) return { status: 404 };
  return (answering.has(source) ? RECORDED : EMPTY)[source]();
});

/** A discover run, then the graph job's run after it (settled at once: nothing else is writing). */
async function discover(db: Db): Promise<void> {
  await harvest(db);
  await buildGraph(db, testJobContext({ job: 'graph-build' }), { settleMs: 0 });
}

async function harvest(db: Db): Promise<void> {
  const config = loadConfig(sourceEnv(server.url));
  const { sleep } = recordingSleep();
  await runHarvest(testJobContext(), { db, sources: createSources(config, { sleep }), classifier: createKeywordClassifier(), concurrency: 5 });
}

interface EdgeView {
  from: string;
  to: string | null;
  identifier: string;
  type: string;
  confidence: number;
}

/** Every edge, endpoints named by source (one signal per source here), in a stable order. */
async function edges(db: Db): Promise<EdgeView[]> {
  return db.query<EdgeView>(sql`
    SELECT f.source AS "from", t.source AS "to", e.to_identifier AS identifier, e.type, e.confidence
    FROM signal_edges e JOIN signals f ON f.id = e.from_signal_id LEFT JOIN signals t ON t.id = e.to_signal_id
    ORDER BY f.source, e.to_identifier`);
}

const EXPECTED: EdgeView[] = [
  { from: 'arxiv', to: null, identifier: 'arxiv:2401.04088', type: 'cites', confidence: 0.8 },
  { from: 'arxiv', to: null, identifier: 'doi:10.5555/3618408.3619696', type: 'cites', confidence: 0.8 },
  { from: 'arxiv', to: 'github', identifier: 'github:moe-lab/resroute', type: 'mentions', confidence: 0.85 },
  { from: 'github', to: 'arxiv', identifier: 'arxiv:2501.04567', type: 'implements', confidence: 0.8 },
  { from: 'hackernews', to: 'github', identifier: 'github:moe-lab/resroute', type: 'discusses', confidence: 0.95 },
  { from: 'reddit', to: 'arxiv', identifier: 'arxiv:2501.04567', type: 'discusses', confidence: 0.95 },
  { from: 'x', to: 'arxiv', identifier: 'arxiv:2501.04567', type: 'discusses', confidence: 0.8 },
  { from: 'x', to: null, identifier: 'url:https://t.co/AbCdEf1234', type: 'mentions', confidence: 0.5 },
];

/** The signals reachable from `start` over resolved edges in either direction. */
async function component(db: Db, start: string): Promise<string[]> {
  const rows = await db.query<{ source: string }>(sql`
    WITH RECURSIVE reach(id) AS (
      SELECT id FROM signals WHERE source = ${start}
      UNION
      SELECT CASE WHEN e.from_signal_id = r.id THEN e.to_signal_id ELSE e.from_signal_id END
      FROM reach r JOIN signal_edges e ON (e.from_signal_id = r.id OR e.to_signal_id = r.id) AND e.to_signal_id IS NOT NULL
    )
    SELECT s.source FROM reach JOIN signals s ON s.id = reach.id ORDER BY s.source`);
  return rows.map((row) => row.source);
}

describeOnDrivers('the graph a harvest builds ($driver)', ({ open }) => {
  let db: Db;

  beforeAll(async () => {
    answering = new Set(SOURCES);
    db = (await open()).db;
    await discover(db);
  });

  it('links the paper, its repository and the posts about them with the right types and confidences', async () => {
    // Assess
    expect(await edges(db)).toEqual(EXPECTED);
  });

  it('makes the five signals one connected component', async () => {
    // Assess
    expect(await component(db, 'x')).toEqual(['arxiv', 'github', 'hackernews', 'reddit', 'x']);
  });

  it('keeps what each signal is and names, with roles', async () => {
    // Act
    const rows = await db.query<{ source: string; identifier: string; role: string }>(sql`
      SELECT s.source, i.identifier, i.role FROM signal_identifiers i JOIN signals s ON s.id = i.signal_id
      WHERE i.role IN ('self', 'subject') AND i.identifier NOT LIKE 'url:%' ORDER BY s.source`);

    // Assess
    expect(rows).toEqual([
      { source: 'arxiv', identifier: 'arxiv:2501.04567', role: 'self' },
      { source: 'github', identifier: 'github:moe-lab/resroute', role: 'self' },
      { source: 'hackernews', identifier: 'github:moe-lab/resroute', role: 'subject' },
      { source: 'reddit', identifier: 'arxiv:2501.04567', role: 'subject' },
    ]);
  });

  it('changes no edge when discover runs again', async () => {
    // Prepare
    const before = await db.query(sql`SELECT * FROM signal_edges ORDER BY id`);

    // Act
    await discover(db);

    // Assess
    expect(await db.query(sql`SELECT * FROM signal_edges ORDER BY id`)).toEqual(before);
  });

  it('attaches the edges of posts harvested before the artifacts they discuss', async () => {
    // Prepare: a fresh store; the posts come first, the paper and the repository a run later.
    const later = (await open()).db;
    answering = new Set<Source>(['hackernews', 'reddit', 'x']);
    await discover(later);
    const pending = await later.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM signal_edges WHERE to_signal_id IS NULL`);

    // Act
    answering = new Set(SOURCES);
    await discover(later);

    // Assess: every post edge was pending, and the store ends as the one harvested at once.
    expect(pending[0]?.n).toBe(4);
    expect(await edges(later)).toEqual(EXPECTED);
    expect(await component(later, 'hackernews')).toEqual(['arxiv', 'github', 'hackernews', 'reddit', 'x']);
  });

  it('leaves identifiers and relationships to the graph job: a harvest alone stores none', async () => {
    // Prepare
    const fresh = (await open()).db;
    answering = new Set(SOURCES);

    // Act
    await harvest(fresh);

    // Assess
    const [stored] = await fresh.query<{ signals: number; identifiers: number; edges: number }>(sql`
      SELECT (SELECT count(*)::int FROM signals) AS signals, (SELECT count(*)::int FROM signal_identifiers) AS identifiers,
             (SELECT count(*)::int FROM signal_edges WHERE type <> 'same_as') AS edges`);
    expect(stored).toEqual({ signals: 5, identifiers: 0, edges: 0 });
  });
});
