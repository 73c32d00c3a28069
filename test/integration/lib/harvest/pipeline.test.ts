// A whole harvest run against one local server playing all five sources with their recorded
// responses (and a Slack receiver), storing into real Postgres through the Neon driver: what the
// first run stores, that a second run over the same data stores nothing new and refreshes
// engagement, one Slack message per run and never a signal twice, and sources that fail (500,
// 429, garbage, too slow) retried or isolated while the others are stored.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../../../lib/config.js';
import { listSignals } from '../../../../lib/db/signals-repo.js';
import type { Signal } from '../../../../lib/model/signal.js';
import { sql } from '../../../../lib/db/sql.js';
import { createKeywordClassifier } from '../../../../lib/harvest/classify/index.js';
import { runHarvest, type HarvestOptions, type HarvestReport } from '../../../../lib/harvest/pipeline.js';
import { harvestSourceLastSuccess } from '../../../../lib/metrics/harvest-metrics.js';
import { testJobContext } from '../../../support/job-context.js';
import { valueOf } from '../../../support/metric-values.js';
import { createSources } from '../../../../lib/harvest/sources/index.js';
import { closeDatabases, createPostgresDatabase, type TestDatabase } from '../../../support/databases.js';
import { fixture, fixtureJson, json, recordingSleep, useSourceServer, type ReceivedRequest, type Reply, sourceEnv } from '../../../support/source-server.js';

/** How each source answers; a test replaces one to make it fail. */
type Behaviour = Partial<Record<'hackernews' | 'github' | 'arxiv' | 'reddit' | 'x', (request: ReceivedRequest) => Reply>>;

let database: TestDatabase;
/** For the failing-sources run, so its rows never mix with the recorded runs'. */
let isolated: TestDatabase;
let behaviour: Behaviour = {};
/** Added to every HN hit's points: the "same items, new engagement" of a later run. */
let hnPointsBonus = 0;
const slackBodies: Array<{ text: string; blocks: unknown[] }> = [];

const RECORDED: Required<Behaviour> = {
  hackernews: () => {
    const page = fixtureJson<{ hits: Array<{ points: number }>; nbPages: number }>('hackernews-page-0.json');
    for (const hit of page.hits) hit.points += hnPointsBonus;
    return json({ ...page, nbPages: 1 });
  },
  github: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: fixture('github-search-page-1.json') }),
  arxiv: () => ({ status: 200, headers: { 'content-type': 'application/atom+xml' }, body: fixture('arxiv-page-0.xml') }),
  reddit: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: fixture('reddit-new-page-1.json') }),
  x: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: fixture('x-recent-search-page-1.json') }),
};

function route(request: ReceivedRequest): Reply {
  if (request.path === '/slack') return { status: 200, body: 'ok' };
  if (request.path === '/reddit-auth/api/v1/access_token') return json({ access_token: 'pipeline-token', expires_in: 86_400 });
  const source = (['hackernews', 'github', 'arxiv', 'reddit', 'x'] as const).find((name) => request.path.startsWith(`/${name}/`));
  if (source === undefined) return { status: 404 };
  return (behaviour[source] ?? RECORDED[source])(request);
}

function config(overrides: Record<string, string> = {}): Config {
  return loadConfig({ ...sourceEnv(server.url), ...overrides });
}

async function harvest(overrides: Record<string, string> = {}, options: Partial<HarvestOptions> = {}): Promise<HarvestReport> {
  const { sleep } = recordingSleep();
  return runHarvest(testJobContext(), {
    db: database.db,
    sources: createSources(config(overrides), { sleep }),
    classifier: createKeywordClassifier(),
    concurrency: 5,
    notify: { webhookUrl: `${server.url}/slack`, maxPerRun: 49, minSalience: 0, minDiscoveryScore: 0 },
    ...options,
  });
}

async function stored(): Promise<Signal[]> {
  return (await listSignals(database.db, { sort: 'fetched_at', order: 'asc', limit: 1000 })).items;
}

const server = useSourceServer((request) => {
  if (request.path === '/slack') slackBodies.push(JSON.parse(request.body) as { text: string; blocks: unknown[] });
  return route(request);
});

beforeAll(async () => {
  [database, isolated] = await Promise.all([createPostgresDatabase(), createPostgresDatabase()]);
});

afterAll(async () => {
  await Promise.all([database.dispose(), isolated.dispose()]);
  await closeDatabases();
});

beforeEach(() => {
  behaviour = {};
});

describe('a harvest run over recorded responses of every source', () => {
  let first: HarvestReport;

  beforeAll(async () => {
    first = await harvest();
  });

  it('stores every source item once, classified and scored, and reports each source ok', async () => {
    const signals = await stored();

    expect(Object.fromEntries(Object.entries(first.sources).map(([name, report]) => [name, report.status]))).toEqual({
      hackernews: 'ok',
      github: 'ok',
      arxiv: 'ok',
      reddit: 'ok',
      x: 'ok',
    });
    expect(first.inserted).toBe(signals.length);
    expect(first.inserted).toBe(first.fetched - first.duplicates - first.knownElsewhere);
    expect(new Set(signals.map((signal) => signal.source))).toEqual(new Set(['hackernews', 'github', 'arxiv', 'reddit', 'x']));
    for (const signal of signals) {
      expect(signal.category, signal.sourceId).not.toBeNull();
      if (['preprint', 'repository', 'release'].includes(signal.kind)) expect(signal.discoveryScore).not.toBeNull();
      else expect(signal.salience).not.toBeNull();
    }
    expect(signals.find((signal) => signal.source === 'hackernews' && signal.sourceId === '42612345')?.kind).toBe('story');
  });

  it('stores the cursors each source reported, so the next run asks only for what is new', async () => {
    const rows = await database.db.query<{ source: string }>(sql`SELECT DISTINCT source FROM source_cursors ORDER BY source`);

    expect(rows.map((row) => row.source)).toEqual(['arxiv', 'github', 'hackernews', 'reddit', 'x']);
  });

  it('runs again over the same data without new rows, refreshing engagement', async () => {
    // Prepare: HN answers the same stories (ignoring the cursor) with more points
    const before = new Map((await stored()).map((signal) => [`${signal.source}/${signal.sourceId}`, signal]));
    hnPointsBonus = 100;

    // Act
    const second = await harvest();

    // Assess
    const after = await stored();
    expect(after).toHaveLength(before.size);
    expect(second.inserted).toBe(0);
    expect(second.updated).toBeGreaterThan(0);
    const story = after.find((signal) => signal.source === 'hackernews' && signal.sourceId === '42612345');
    const earlier = before.get('hackernews/42612345');
    expect(story?.engagement.points).toBe((earlier?.engagement.points ?? 0) + 100);
    expect(story?.fetchedAt).toEqual(earlier?.fetchedAt);
  });

  it('sent Slack exactly one message for the first run and none for the second, no signal twice', async () => {
    // Assess: every stored signal clears the test's zero thresholds, so the first run notified all
    const signals = await stored();
    expect(slackBodies).toHaveLength(1);
    expect(first.notification).toMatchObject({ sent: true, signals: signals.length });
    expect(signals.every((signal) => signal.notifiedAt !== null)).toBe(true);
    expect(slackBodies[0]?.blocks).toHaveLength(signals.length + 1);
  });
});

describe('a harvest run with failing sources', () => {
  it('isolates a source that answers 500, garbage or too slowly, and retries a 429 to success', async () => {
    // Prepare: github always 500, reddit garbage, arxiv slower than the timeout, x 429 once
    let xCalls = 0;
    behaviour = {
      github: () => ({ status: 500, body: 'upstream exploded' }),
      reddit: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '<html>not json' }),
      arxiv: () => ({ ...RECORDED.arxiv({} as ReceivedRequest), delayMs: 1_000 }),
      x: (request) => {
        xCalls += 1;
        return xCalls === 1 ? { status: 429, headers: { 'retry-after': '1' } } : RECORDED.x(request);
      },
    };

    const githubAnsweredAt = await valueOf(harvestSourceLastSuccess, { source: 'github' });
    const started = Date.now() / 1000;

    // Act
    const report = await harvest({ SOURCE_TIMEOUT_MS: '150', HARVEST_SOURCES: 'hackernews,github,arxiv,reddit,x' }, { db: isolated.db, notify: undefined });

    // Assess
    expect(report.sources.github).toMatchObject({ status: 'failed', requests: 3 });
    expect(report.sources.github?.queries[0]?.error).toMatch(/500/);
    expect(report.sources.reddit?.status).toBe('failed');
    expect(report.sources.arxiv).toMatchObject({ status: 'failed', requests: 3 });
    expect(report.sources.x).toMatchObject({ status: 'ok', retries: 1 });
    expect(report.sources.hackernews?.status).toBe('ok');
    // … and the sources that answered say so in the metric HarvestSourceFailing reads; github's is unchanged
    expect(await valueOf(harvestSourceLastSuccess, { source: 'hackernews' })).toBeGreaterThanOrEqual(Math.floor(started));
    expect(await valueOf(harvestSourceLastSuccess, { source: 'x' })).toBeGreaterThanOrEqual(Math.floor(started));
    expect(await valueOf(harvestSourceLastSuccess, { source: 'github' })).toBe(githubAnsweredAt);
    const sources = await isolated.db.query<{ source: string }>(sql`SELECT DISTINCT source FROM signals ORDER BY source`);
    expect(sources.map((row) => row.source)).toEqual(['hackernews', 'x']);
    // A failed source keeps its old cursor (none here): the next run asks again
    const cursors = await isolated.db.query<{ source: string }>(sql`SELECT DISTINCT source FROM source_cursors ORDER BY source`);
    expect(cursors.map((row) => row.source)).toEqual(['hackernews', 'x']);
  });
});
