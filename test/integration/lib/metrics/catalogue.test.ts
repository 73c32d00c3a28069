// The seed's metric catalogue (lib/metrics/catalogue.ts), entry by entry: exported by the
// container's registry with the catalogue's type and labels; moved by the real code when its action
// happens (each action below drives the production path on real services: an HTTP app, PGlite and
// real Postgres through the Neon driver, the memory limiter, a harvest with a source of our own,
// the topic job, a job run, the LLM classifier against a chat-completions server on 127.0.0.1); and
// read by at least one Grafana panel or alert rule. Every metric of the catalogue must be moved by
// one of the actions, so nothing is declared and never moved.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLambdaContext } from '../../../../infra/local/lambda-context.js';
import { instrumentDb } from '../../../../lib/db/instrumented.js';
import { upsertSignals } from '../../../../lib/db/signals-upsert.js';
import { sql } from '../../../../lib/db/sql.js';
import { assignSignalTopics, createEmergentTopic } from '../../../../lib/db/topics-repo.js';
import type { Db } from '../../../../lib/db/types.js';
import { buildGraph } from '../../../../lib/graph/build.js';
import { createKeywordClassifier, createLlmClassifier } from '../../../../lib/harvest/classify/index.js';
import { ingestItems } from '../../../../lib/harvest/ingest.js';
import { runHarvest } from '../../../../lib/harvest/pipeline.js';
import { evolveTopics } from '../../../../lib/harvest/topics/evolve.js';
import { createVectorCache } from '../../../../lib/harvest/topics/vector-cache.js';
import { centroid, textVector } from '../../../../lib/harvest/topics/vectors.js';
import type { HarvestedItem, SourceAdapter } from '../../../../lib/harvest/types.js';
import { createApp } from '../../../../lib/http/app.js';
import { runJob } from '../../../../lib/jobs/run-job.js';
import { createMemoryLock } from '../../../../lib/jobs/lock.js';
import { CATALOGUE, type CatalogueEntry } from '../../../../lib/metrics/catalogue.js';
import { registry } from '../../../../lib/metrics/registry.js';
import { RateLimiter } from '../../../../lib/ratelimit/limiter.js';
import { testJobContext } from '../../../support/job-context.js';
import { closeDatabases, createPgliteDatabase, createPostgresDatabase, type TestDatabase } from '../../../support/databases.js';
import { makeSignal } from '../../../support/signal-factory.js';
import { useSourceServer } from '../../../support/source-server.js';
import { alertRules, dashboardExprs, dashboardFiles, metricNamesIn, metricOf, readDashboard } from '../../../support/monitoring-assets.js';

/** Sum of every series of a metric (a histogram's observation count). */
async function total(name: string): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return Number.NaN;
  const { values } = await metric.get();
  return (values as Array<{ value: number; metricName?: string }>)
    .filter((entry) => entry.metricName === undefined || entry.metricName.endsWith('_count'))
    .reduce((sum, entry) => sum + entry.value, 0);
}

const opened: TestDatabase[] = [];
const llm = useSourceServer(() => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    choices: [{ message: { content: '{"category":"security","sentiment":"negative","urgency":4}' } }],
    usage: { prompt_tokens: 120, completion_tokens: 14 },
  }),
}));

afterAll(async () => {
  await Promise.all(opened.map((database) => database.dispose()));
  await closeDatabases();
});

function item(overrides: Partial<HarvestedItem> = {}): HarvestedItem {
  return {
    source: 'github',
    sourceId: `repo-${String(Math.random()).slice(2)}`,
    kind: 'repository',
    url: `https://github.com/example/${String(Math.random()).slice(2)}`,
    title: 'A fast vector database in Rust',
    text: 'Open-source vector database.',
    author: 'example',
    publishedAt: new Date(),
    engagement: { stars: 1200, forks: 40 },
    tags: ['rust'],
    ...overrides,
  };
}

const TOKIO = ['Tokio runtime executor internals', 'How the tokio executor schedules tasks', 'Tokio executor work stealing explained', 'Inside the tokio runtime executor', 'Tokio executor and cooperative budgeting', 'Tuning the tokio runtime executor'];
const GOROUTINE = ['Goroutine scheduler preemption internals', 'How the goroutine scheduler steals work'];
const JAZZ = ['Jazz piano chord voicings for beginners', 'Drop two jazz piano chord voicings', 'Jazz piano chord voicings in ballads', 'Rootless jazz piano chord voicings'];
const QUANTUM = ['Quantum error correction with surface codes', 'Surface code quantum error correction milestone', 'Quantum error correction below threshold with surface codes', 'Quantum error correction explained: surface codes'];

let sequence = 0;

/** Stores signals published `daysAgo` before `end`; their ids in order. */
async function insert(db: Db, titles: readonly string[], daysAgo: number, end: Date): Promise<string[]> {
  const rows = titles.map((title) => {
    sequence += 1;
    return makeSignal({ source: 'catalogue', sourceId: `c-${String(sequence)}`, title, text: '', tags: [], publishedAt: new Date(end.getTime() - daysAgo * 86_400_000), status: 'active' }, sequence);
  });
  await upsertSignals(db, rows);
  const found = await db.query<{ id: string; sourceId: string }>(sql`SELECT id::text AS id, source_id AS "sourceId" FROM signals WHERE source_id = ANY(${rows.map((row) => row.sourceId)}::text[])`);
  const ids = new Map(found.map((row) => [row.sourceId, row.id]));
  return rows.map((row) => ids.get(row.sourceId) ?? '');
}

async function emergent(db: Db, path: string, titles: readonly string[], members: readonly string[]): Promise<void> {
  const { topic } = await createEmergentTopic(db, { path, name: path, keywords: [], centroid: centroid(titles.map(textVector)) });
  await assignSignalTopics(db, members.map((signalId) => ({ signalId, topicId: topic.id, weight: 1 })));
}

/** Each action runs real code and names the metrics it must move; `during` checks a gauge while it is up. */
interface Action {
  name: string;
  moves: string[];
  run(during: (check: () => Promise<void>) => Promise<void>): Promise<void>;
}

const ACTIONS: Action[] = [
  {
    name: 'an HTTP request, and one that crashes',
    moves: ['http_requests_total', 'http_request_duration_seconds', 'http_requests_in_progress', 'errors_total', 'exceptions_unhandled_total'],
    async run(during) {
      const app = createApp({ name: 'catalogue' });
      app.get('/v1/slow', async (c) => {
        await during(async () => expect(await total('http_requests_in_progress')).toBeGreaterThan(0));
        return c.json({});
      });
      app.get('/v1/crash', () => {
        throw new Error('boom');
      });
      expect((await app.request('http://localhost/v1/slow')).status).toBe(200);
      expect((await app.request('http://localhost/v1/crash')).status).toBe(500);
    },
  },
  {
    name: 'statements on PGlite and a connection of the Neon pool',
    moves: ['db_query_duration_seconds', 'db_queries_total', 'db_connections_active'],
    async run(during) {
      const lite = await createPgliteDatabase();
      opened.push(lite);
      await instrumentDb(lite.db).query(sql`SELECT 1`);
      const neon = await createPostgresDatabase({ migrated: false });
      await neon.db.query(sql`SELECT 1`);
      await during(async () => expect(await total('db_connections_active')).toBeGreaterThan(0));
      await neon.dispose();
    },
  },
  {
    name: 'vector look-ups: computed, then from the cache',
    moves: ['cache_hits_total', 'cache_misses_total', 'cache_size_bytes', 'cache_items', 'embedding_cache_hits_total', 'embedding_computed_total', 'embedding_computation_duration_seconds'],
    async run() {
      const cache = createVectorCache({ redis: null, ttlSeconds: 60 });
      await cache.vectors(['rust borrow checker', 'go scheduler']);
      await cache.vectors(['rust borrow checker']);
    },
  },
  {
    name: 'rate-limit decisions until a denial',
    moves: ['rate_limit_requests_total', 'rate_limit_denials_total', 'rate_limit_buckets_active'],
    async run() {
      const limiter = new RateLimiter({ limits: { anonymous: 2, api_key: 10, premium: 10 } });
      for (let i = 0; i < 3; i++) await limiter.check(`catalogue-${String(Math.random())}`.slice(0, 12), 'anonymous');
      const decisions = await Promise.all([1, 2, 3].map(() => limiter.check('catalogue-one', 'anonymous')));
      expect(decisions.some((decision) => !decision.allowed)).toBe(true);
    },
  },
  {
    name: 'a harvest run with one source, one item naming a paper, and the graph job after it',
    // The two items also tell the same story (one title): a near-duplicate pair.
    moves: [
      'discoveries_fetched_total',
      'discovery_score',
      'discovery_pipeline_duration_seconds',
      'relationships_detected_total',
      'relationship_confidence',
      'near_duplicates_detected_total',
      'near_duplicate_similarity',
    ],
    async run() {
      const lite = await createPgliteDatabase();
      opened.push(lite);
      const source: SourceAdapter = {
        name: 'github',
        enabled: true,
        fetch: () => Promise.resolve({ items: [item(), item({ text: 'Open-source vector database. Implements arXiv:2401.01234.' })], cursors: new Map(), queries: [{ query: 'q', items: 2, pages: 1 }], requests: 1, retries: 0, truncated: false }),
      };
      await runHarvest(testJobContext(), { db: lite.db, sources: [source], classifier: createKeywordClassifier(), concurrency: 1 });
      await buildGraph(lite.db, testJobContext({ job: 'graph-build' }), { settleMs: 0 });
    },
  },
  {
    name: 'ingests naming the same handle on two sources, each followed by the graph job (one known account, one queued candidate)',
    moves: ['entity_resolution_matches_total', 'entity_resolution_confidence', 'entity_resolution_duration_seconds'],
    async run() {
      const lite = await createPgliteDatabase();
      opened.push(lite);
      const options = { classifier: createKeywordClassifier(), nowMs: Date.now() };
      const build = (): Promise<unknown> => buildGraph(lite.db, testJobContext({ job: 'graph-build' }), { settleMs: 0 });
      await ingestItems(lite.db, [item({ author: 'example' }), item({ author: 'example' })], options);
      await build();
      await ingestItems(lite.db, [item({ source: 'hackernews', kind: 'story', url: 'https://example.com/story', author: 'example', engagement: { points: 10 } })], options);
      await build();
    },
  },
  {
    name: 'a topic job run that finds a merge and a split',
    moves: ['topics_active', 'topic_merges_detected_total', 'topic_splits_detected_total'],
    async run() {
      const lite = await createPgliteDatabase();
      opened.push(lite);
      const end = new Date('2026-03-01T00:00:00Z');
      // As in the topic job's own test: a Go topic drifted into the tokio topic's subject (merge), a topic mixing two subjects (split).
      const tokio = [...(await insert(lite.db, TOKIO, 25, end)), ...(await insert(lite.db, TOKIO.slice(0, 5), 3, end))];
      const goroutine = [...(await insert(lite.db, GOROUTINE, 25, end)), ...(await insert(lite.db, TOKIO.slice(1, 5), 3, end))];
      const mixed = [...(await insert(lite.db, JAZZ, 3, end)), ...(await insert(lite.db, QUANTUM, 4, end))];
      await emergent(lite.db, 'emergent/executor-tokio', TOKIO, tokio);
      await emergent(lite.db, 'emergent/goroutine-scheduler', GOROUTINE, goroutine);
      await emergent(lite.db, 'emergent/chord-quantum', [...JAZZ, ...QUANTUM], mixed);
      const result = await evolveTopics(lite.db, { now: new Date('2026-03-01T03:00:00Z'), windowDays: 30, vectors: createVectorCache({ redis: null }) });
      expect(result.events.merge).toBeGreaterThan(0);
      expect(result.events.split).toBeGreaterThan(0);
    },
  },
  {
    name: 'a job run whose work throws',
    moves: ['job_runs_in_progress', 'job_runs_total', 'job_duration_seconds', 'exceptions_unhandled_total'],
    async run(during) {
      const lite = await createPgliteDatabase();
      opened.push(lite);
      const context = createLambdaContext({ functionName: 'discover', timeoutSeconds: 30, memorySize: 256, region: 'us-east-1' });
      const result = await runJob(
        'discover',
        context,
        async () => {
          await during(async () => expect(await total('job_runs_in_progress')).toBeGreaterThan(0));
          throw new TypeError('a bug in the work');
        },
        { db: () => Promise.resolve(lite.db), lock: createMemoryLock(), flush: () => Promise.resolve({ pushed: false, reason: 'disabled' }) },
      );
      expect(result.status).toBe('failed');
    },
  },
  {
    name: 'an LLM classification',
    moves: ['llm_requests_total', 'llm_request_duration_seconds', 'llm_tokens_used_total'],
    async run() {
      const classifier = createLlmClassifier({ url: llm.url, model: 'tiny-model', budget: 5, timeoutMs: 5000 });
      const classification = await classifier.classify(item({ kind: 'post', source: 'hackernews' }));
      expect(classification.by).toBe('llm');
    },
  },
];

const moved = new Map<string, { before: number; after: number; during: boolean }>();

beforeAll(async () => {
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  for (const action of ACTIONS) {
    const before = new Map(await Promise.all(action.moves.map(async (name) => [name, await total(name)] as const)));
    let checkedDuring = false;
    await action.run(async (check) => {
      await check();
      checkedDuring = true;
    });
    for (const name of action.moves) {
      const entry = moved.get(name);
      const after = await total(name);
      // A metric two actions move counts as moved when either moved it.
      if (entry === undefined || entry.after === entry.before) moved.set(name, { before: before.get(name) ?? Number.NaN, after, during: checkedDuring });
    }
  }
}, 120_000);

const exprs = [...alertRules().map((rule) => rule.expr), ...dashboardFiles().flatMap((file) => dashboardExprs(readDashboard(file)))];
const defined = new Set(registry.getMetricsAsArray().map((metric) => (metric as unknown as { name: string }).name));
const queried = new Set(exprs.flatMap(metricNamesIn).map((name) => metricOf(name, defined)));

describe.each(CATALOGUE.map((entry) => [entry.name, entry] as const))('catalogue: %s', (name, entry: CatalogueEntry) => {
  it(`is exported as a ${entry.type} with labels [${entry.labels.join(', ')}] (seed: ${entry.seed})`, async () => {
    // Act
    const metric = registry.getSingleMetric(name);
    const json = (await registry.getMetricsAsJSON()).find((family) => family.name === name);

    // Assess
    expect(metric, `${name} is not registered`).toBeDefined();
    expect(json?.type).toBe(entry.type);
    expect([...((metric as unknown as { labelNames?: string[] } | undefined)?.labelNames ?? [])].sort()).toEqual([...entry.labels].sort());
    expect(await registry.metrics()).toContain(`# TYPE ${name} ${entry.type}`);
  });

  it(`moves under its action (${entry.movedBy})`, () => {
    // Assess: gauges that go back down when the action ends (in progress, open connections) were checked while it ran.
    const observed = moved.get(name);
    expect(observed, `no action moves ${name}`).toBeDefined();
    const { before, after, during } = observed ?? { before: 0, after: 0, during: false };
    expect(after !== before || during, `${name} stayed at ${String(before)}`).toBe(true);
  });

  it('is read by a dashboard panel or an alert rule', () => {
    // Assess
    expect(queried.has(name), `${name} appears in no dashboard or rule`).toBe(true);
  });
});

describe('the catalogue', () => {
  it('names every seed metric once, Prometheus-style: _total only on counters, base units', () => {
    // Assess
    const names = CATALOGUE.map((entry) => entry.name);
    expect(new Set(names).size).toBe(names.length);
    // The seed's 30, the graph edges' two, the near-duplicates' two and entity resolution's three (matches, confidence, duration).
    expect(CATALOGUE.length).toBe(37);
    for (const entry of CATALOGUE) {
      expect(entry.name.endsWith('_total'), entry.name).toBe(entry.type === 'counter');
      expect(entry.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(entry.name).not.toMatch(/_(ms|milliseconds|kb|mb)(_|$)/);
    }
  });
});
