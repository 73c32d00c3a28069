// Near-duplicates across sources on both drivers: one story posted to Hacker News, Reddit and X
// with different titles and links (recorded in each source's real response format and read by the
// real adapters from a local server) becomes one duplicate group through a whole harvest run and
// the graph-build job after it; a different story with overlapping words stays apart, the same
// title outside the 72-hour window does not match, a rerun adds nothing, an artifact's discovery
// score counts the other sources (rescored by the job, kept by a re-harvest), and a flood of
// near-identical posts stays bounded (a megabyte of text: the unit tests).
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../../../../lib/config.js';
import { getSignal } from '../../../../../lib/db/signals-repo.js';
import { sql } from '../../../../../lib/db/sql.js';
import type { Db } from '../../../../../lib/db/types.js';
import { createKeywordClassifier } from '../../../../../lib/harvest/classify/index.js';
import { ingestItems } from '../../../../../lib/harvest/ingest.js';
import { runHarvest, type HarvestReport } from '../../../../../lib/harvest/pipeline.js';
import { forgetRedditTokens } from '../../../../../lib/harvest/sources/reddit-oauth.js';
import { createSources } from '../../../../../lib/harvest/sources/index.js';
import type { HarvestedItem } from '../../../../../lib/harvest/types.js';
import { buildGraph, type BuildGraphResult } from '../../../../../lib/graph/build.js';
import { MAX_MATCHES_PER_ITEM } from '../../../../../lib/graph/duplicates/params.js';
import { describeOnDrivers } from '../../../../support/describe-on-drivers.js';
import { testJobContext } from '../../../../support/job-context.js';
import { fixture, json, recordingSleep, useSourceServer, type ReceivedRequest, type Reply, sourceEnv } from '../../../../support/source-server.js';

const server = useSourceServer(route);

function route(request: ReceivedRequest): Reply {
  const recorded = (name: string): Reply => ({ status: 200, headers: { 'content-type': 'application/json' }, body: fixture(name) });
  if (request.path === '/reddit-auth/api/v1/access_token') return json({ access_token: 'duplicates-token', expires_in: 86_400 });
  if (request.path.startsWith('/hackernews/')) return recorded('near-duplicates-hackernews.json');
  if (request.path.startsWith('/reddit/')) return recorded('near-duplicates-reddit.json');
  if (request.path.startsWith('/x/')) return recorded('near-duplicates-x.json');
  return { status: 404 };
}

/** The recorded posts, by their source's id (test/fixtures/sources/near-duplicates-*.json). */
const ZEPHYR = { hackernews: '43100001', reddit: '1hz0101', x: '1876800000000000001' } as const;
const MISTRAL_HN = '43100002';
/** The Zephyr title again on Reddit, five days before the story. */
const OLD_REPOST = '1hz0102';
const NOW = Date.parse('2025-01-06T12:00:00Z');

/** The graph-build job's pass over what is stored, as its next run would make it. */
async function buildNow(db: Db, options: { restart?: boolean; batchSize?: number } = {}): Promise<BuildGraphResult> {
  return buildGraph(db, testJobContext({ job: 'graph-build' }), { settleMs: 0, now: () => NOW, ...options });
}

async function harvest(db: Db): Promise<HarvestReport> {
  const config = loadConfig({ ...sourceEnv(server.url), HARVEST_SOURCES: 'hackernews,reddit,x' });
  return runHarvest(testJobContext(), {
    db,
    sources: createSources(config, { sleep: recordingSleep().sleep }),
    classifier: createKeywordClassifier(),
    concurrency: 3,
    now: () => NOW,
  });
}

interface Row {
  id: string;
  source: string;
  sourceId: string;
  group: string | null;
  mentions: number;
}

async function rows(db: Db): Promise<Map<string, Row>> {
  const found = await db.query<Row>(sql`
    SELECT id::text AS id, source, source_id AS "sourceId", duplicate_group::text AS "group", mention_count AS mentions FROM signals`);
  return new Map(found.map((row) => [row.sourceId, row]));
}

interface EdgeRow {
  from: string;
  to: string;
  type: string;
  confidence: number;
  evidence: Record<string, unknown>;
}

async function sameAsEdges(db: Db): Promise<EdgeRow[]> {
  return db.query<EdgeRow>(sql`
    SELECT from_signal_id::text AS "from", to_signal_id::text AS "to", type, confidence, evidence
    FROM signal_edges WHERE type = 'same_as' ORDER BY id`);
}

beforeEach(() => {
  forgetRedditTokens();
});

describeOnDrivers('near-duplicates on $driver', ({ open }) => {
  let db: Db;
  let first: HarvestReport;
  let ungrouped: Map<string, Row>;
  let built: BuildGraphResult;

  beforeAll(async () => {
    ({ db } = await open());
    first = await harvest(db);
    ungrouped = await rows(db);
    built = await buildNow(db);
  });

  it('stores all five recorded posts of the three sources', async () => {
    expect(first.inserted).toBe(5);
    expect((await rows(db)).size).toBe(5);
  });

  it('leaves the grouping to the graph-build job: the harvest alone groups nothing', () => {
    expect([...ungrouped.values()].map((row) => [row.group, row.mentions])).toEqual(Array.from({ length: 5 }, () => [null, 1]));
    expect(built).toMatchObject({ signals: 5, nearDuplicates: 3 });
  });

  it('groups the story posted to HN, Reddit and X under different titles and links, labelled by its earliest member', async () => {
    const stored = await rows(db);
    const members = [ZEPHYR.hackernews, ZEPHYR.reddit, ZEPHYR.x].map((id) => stored.get(id) as Row);
    const ids = members.map((member) => BigInt(member.id));
    const earliest = ids.reduce((a, b) => (a < b ? a : b));

    expect(new Set(members.map((member) => member.group))).toEqual(new Set([String(earliest)]));
    expect(members.map((member) => member.mentions)).toEqual([3, 3, 3]);
  });

  it('links every pair of the story with one same_as edge, from the later id to the earlier, with its similarity', async () => {
    const stored = await rows(db);
    const ids = new Set([ZEPHYR.hackernews, ZEPHYR.reddit, ZEPHYR.x].map((id) => stored.get(id)?.id));

    const edges = await sameAsEdges(db);

    expect(edges).toHaveLength(3);
    for (const edge of edges) {
      expect(ids.has(edge.from) && ids.has(edge.to)).toBe(true);
      expect(BigInt(edge.from) > BigInt(edge.to)).toBe(true);
      expect(edge.confidence).toBeGreaterThanOrEqual(0.5);
      expect(edge.confidence).toBeLessThanOrEqual(1);
      expect(edge.evidence).toMatchObject({ method: 'minhash-lsh', similarity: edge.confidence, windowHours: 72 });
    }
  });

  it('keeps a different story with overlapping words apart, and the same title outside the window', async () => {
    const stored = await rows(db);

    expect(stored.get(MISTRAL_HN)).toMatchObject({ group: null, mentions: 1 });
    expect(stored.get(OLD_REPOST)).toMatchObject({ group: null, mentions: 1 });
  });

  it('adds nothing on a rerun over the same responses, nor on a rebuild from the start', async () => {
    const before = { rows: await rows(db), edges: await sameAsEdges(db) };

    const again = await harvest(db);
    const rebuilt = await buildNow(db, { restart: true });

    expect(again.inserted).toBe(0);
    expect(rebuilt).toMatchObject({ signals: 5, nearDuplicates: 0, rescored: 0 });
    expect(await sameAsEdges(db)).toEqual(before.edges);
    expect(await rows(db)).toEqual(before.rows);
    const [{ count }] = (await db.query<{ count: number }>(sql`SELECT count(*)::int AS count FROM signal_fingerprints`)) as [{ count: number }];
    expect(count).toBe(5);
  });

  it('counts the other sources reporting an artifact into its discovery score', async () => {
    const repo: HarvestedItem = {
      source: 'github',
      sourceId: 'zephyr-lab/zephyr-7b',
      kind: 'repository',
      url: 'https://github.com/zephyr-lab/zephyr-7b',
      title: 'zephyr-lab/zephyr-7b',
      text: 'Zephyr 7B: an open chat model that beats Llama 2 70B on MT-Bench',
      author: 'zephyr-lab',
      publishedAt: new Date('2025-01-06T07:00:00Z'),
      engagement: { stars: 100 },
      tags: [],
    };

    const ingest = (): Promise<unknown> => ingestItems(db, [repo], { classifier: createKeywordClassifier(), nowMs: NOW, mentions: new Map([[repo, 1]]) });
    await ingest();
    const id = (await rows(db)).get(repo.sourceId)?.id as string;
    const stored = async (): Promise<unknown> => db.query(sql`SELECT discovery_score, discovery_rank, rank FROM signals WHERE id = ${id}::bigint`);
    const harvested = await getSignal(db, id);
    const harvestedScore = await stored();
    const job = await buildNow(db);
    const rescored = await getSignal(db, id);
    const rescoredScore = await stored();
    await ingest();
    const reharvested = await getSignal(db, id);

    // Stored by the harvest with its one link mention (another source's item linking it this run).
    expect(harvested?.scoreDetails).toMatchObject({ components: { attention: 125 }, linkMentions: 1, groupMentions: 0 });
    // The job grouped it with HN, Reddit and X: attention = 100 stars + 25·(1 link + 3 group).
    expect(job.rescored).toBe(1);
    expect(rescored?.scoreDetails).toMatchObject({ components: { attention: 200 }, linkMentions: 1, groupMentions: 3 });
    expect(rescoredScore).not.toEqual(harvestedScore);
    expect(rescored?.mentionCount).toBe(4);
    expect(rescored?.duplicateGroup).toBe((await rows(db)).get(ZEPHYR.hackernews)?.group);
    // A re-harvest keeps counting its group.
    expect(reharvested?.scoreDetails).toMatchObject({ components: { attention: 200 }, linkMentions: 1, groupMentions: 3 });
    expect(await stored()).toEqual(rescoredScore);
  });
});

describeOnDrivers('a flood of near-identical posts on $driver', ({ open }) => {
  it('bounds the edges per post and forms one group, in bounded time', async () => {
    const { db } = await open();
    const posts: HarvestedItem[] = Array.from({ length: 300 }, (_, n) => ({
      source: n % 2 === 0 ? 'x' : 'reddit',
      sourceId: `flood-${String(n)}`,
      kind: 'post',
      url: `https://flood.example.com/${String(n)}`,
      title: `Free crypto giveaway claim your tokens now ${String(n % 3)}`,
      text: 'Claim the giveaway tokens: crypto for free at https://spam.example.com/?a=b&c=d#e!',
      author: null,
      publishedAt: new Date(NOW - n * 60_000),
      engagement: {},
      tags: [],
    }));

    const started = performance.now();
    const result = await ingestItems(db, posts, { classifier: createKeywordClassifier(), nowMs: NOW, batchSize: 100 });
    const built = await buildNow(db, { batchSize: 100 });
    const elapsed = performance.now() - started;

    expect(result.inserted).toBe(300);
    expect(built.batches).toBe(3);
    expect(built.nearDuplicates).toBeGreaterThan(0);
    expect(built.nearDuplicates).toBeLessThanOrEqual(300 * MAX_MATCHES_PER_ITEM);
    const groups = await db.query<{ group: string | null; count: number }>(sql`
      SELECT duplicate_group::text AS "group", count(*)::int AS count FROM signals GROUP BY 1`);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.group).not.toBeNull();
    expect(elapsed).toBeLessThan(30_000);
  });
});
