// Child process of graph.ts: `GET /v1/signals/{id}/graph?depth=3` through the graph handler against
// the very statement the traversal sends (run alone on the same pool), in a store of 100,000 signals
// and 300,000 edges seeded by generate_series in the machine's Postgres, reached through the real
// Neon driver. Also the same walk as one statement per level (breadth-first with a visited set, as
// first built), for the choice between them.
import { resetConfig } from '../../lib/config.js';
import { setDb } from '../../lib/db/client.js';
import { graphStatement, signalGraph } from '../../lib/db/signal-graph-queries.js';
import { sql, type Sql } from '../../lib/db/sql.js';
import type { Db } from '../../lib/db/types.js';
import { RELATIONSHIP_TYPES } from '../../lib/model/relationship.js';
import { reportToParent } from './child.js';
import { onPostgres } from './child-postgres.js';
import { benchLambdaContext, getEvent } from './fixtures.js';
import { interleave, percentile } from './stats.js';

export interface Latency {
  p50Ms: number;
  p95Ms: number;
}

export interface GraphBenchResult {
  signals: number;
  edges: number;
  seedMs: number;
  samples: number;
  nodes: number;
  graphEdges: number;
  truncated: boolean;
  statements: number;
  handler: Latency;
  direct: Latency;
  perLevel: Latency;
}

const SIGNALS = 100_000;
const EDGES = 300_000;
const DEPTH = 3;
const MAX_NODES = 500;
const ROUTE = '/v1/signals/{id}/graph';
const WARM_UP_ROUNDS = 30;
const ROUNDS = 300;

/** 100,000 signals and 300,000 edges, three out of each signal to pseudo-random others, in two statements. */
async function seed(db: Db): Promise<string> {
  await db.query(sql`
    INSERT INTO signals (source, source_id, kind, url, title, text, published_at, rank)
    SELECT 'bench', 'g-' || g, (ARRAY['post', 'preprint', 'repository', 'story'])[1 + g % 4],
           'https://example.com/g/' || g, 'Graph bench signal ' || g, '', now() - g * interval '1 minute', g / 1000.0
    FROM generate_series(1, ${SIGNALS}) AS g`);
  const [first] = await db.query<{ base: string }>(sql`SELECT (min(id) - 1)::text AS base FROM signals WHERE source = 'bench'`);
  const base = first?.base ?? '0';
  // Edge g: from signal (g mod N), to a pseudo-random other (k = 0, 1, 2 give three distinct targets).
  await db.query(sql`
    INSERT INTO signal_edges (from_signal_id, to_signal_id, to_identifier, type, confidence, evidence)
    SELECT ${base}::bigint + f, ${base}::bigint + t, 'signal:' || (${base}::bigint + t),
           (ARRAY['cites', 'implements', 'discusses', 'mentions'])[1 + g % 4], 0.8, '{"bench": true}'::jsonb
    FROM generate_series(0, ${EDGES - 1}) AS g,
         LATERAL (SELECT 1 + g % ${SIGNALS} AS f) a,
         LATERAL (SELECT 1 + ((a.f * 7907 + (g / ${SIGNALS}) * 31337 + 17) % ${SIGNALS}) AS t0) b,
         LATERAL (SELECT CASE WHEN b.t0 = a.f THEN 1 + b.t0 % ${SIGNALS} ELSE b.t0 END AS t) c
    ON CONFLICT DO NOTHING`);
  await db.query(sql`ANALYZE signals`);
  await db.query(sql`ANALYZE signal_edges`);
  return String(Number(base) + 4242);
}

/** The walk as one statement per level: the edges touching the frontier, then the nodes' summaries. */
async function perLevel(db: Db, root: string): Promise<number> {
  const seen = new Set([root]);
  let frontier = [root];
  for (let level = 1; level <= DEPTH && frontier.length > 0; level++) {
    const rows = await db.query<{ from: string; to: string }>(sql`
      SELECT from_signal_id::text AS "from", to_signal_id::text AS "to" FROM signal_edges
      WHERE from_signal_id = ANY(${frontier}::bigint[]) AND to_signal_id IS NOT NULL
      UNION
      SELECT from_signal_id::text, to_signal_id::text FROM signal_edges WHERE to_signal_id = ANY(${frontier}::bigint[])
      LIMIT 5001`);
    const next: string[] = [];
    for (const edge of rows) {
      for (const end of [edge.from, edge.to]) {
        if (seen.has(end) || seen.size >= MAX_NODES) continue;
        seen.add(end);
        next.push(end);
      }
    }
    frontier = next;
  }
  await db.query(sql`SELECT id::text AS id, source, kind, title, url, published_at FROM signals WHERE id = ANY(${[...seen]}::bigint[])`);
  return seen.size;
}

async function measure(db: Db, root: string, seedMs: number): Promise<GraphBenchResult> {
  setDb(db);
  process.env.RATE_LIMIT_ANONYMOUS = '100000000';
  resetConfig();
  const { handler } = await import('../../functions/graph.js');
  const context = benchLambdaContext('graph');
  const url = `/v1/signals/${root}/graph?depth=${String(DEPTH)}&max_nodes=${String(MAX_NODES)}`;
  const event = getEvent(url, ROUTE);

  const answered = await handler(event, context);
  if (answered.statusCode !== 200) throw new Error(`GET ${url} answered ${String(answered.statusCode)}: ${answered.body ?? ''}`);
  const body = JSON.parse(answered.body ?? '') as { nodes: unknown[]; edges: unknown[]; truncated: boolean };
  const options = { depth: DEPTH, types: RELATIONSHIP_TYPES, maxNodes: MAX_NODES };
  const graph = await signalGraph(db, root, options);
  if (graph.nodes.length !== body.nodes.length) throw new Error('the handler and the traversal reached different nodes');
  if ((await perLevel(db, root)) !== graph.nodes.length) throw new Error('the per-level walk reached a different number of nodes');
  const statement: Sql = graphStatement(root, options);

  const handlerMs: number[] = [];
  const directMs: number[] = [];
  const perLevelMs: number[] = [];
  let recordingTimes = false;
  const steps = [
    async (): Promise<void> => {
      const started = performance.now();
      const result = await handler(event, context);
      if (recordingTimes) handlerMs.push(performance.now() - started);
      if (result.statusCode !== 200) throw new Error(`GET ${url} answered ${String(result.statusCode)}`);
    },
    async (): Promise<void> => {
      const started = performance.now();
      await db.query(statement);
      if (recordingTimes) directMs.push(performance.now() - started);
    },
    async (): Promise<void> => {
      const started = performance.now();
      await perLevel(db, root);
      if (recordingTimes) perLevelMs.push(performance.now() - started);
    },
  ];
  await interleave(WARM_UP_ROUNDS, steps);
  recordingTimes = true;
  await interleave(ROUNDS, steps);
  const latency = (values: number[]): Latency => ({ p50Ms: percentile(values, 50), p95Ms: percentile(values, 95) });
  return {
    signals: SIGNALS,
    edges: EDGES,
    seedMs,
    samples: handlerMs.length,
    nodes: body.nodes.length,
    graphEdges: body.edges.length,
    truncated: body.truncated,
    statements: 1,
    handler: latency(handlerMs),
    direct: latency(directMs),
    perLevel: latency(perLevelMs),
  };
}

const result: GraphBenchResult = await onPostgres(async (db) => {
  const seeding = performance.now();
  const root = await seed(db);
  return await measure(db, root, performance.now() - seeding);
});
reportToParent(result);
