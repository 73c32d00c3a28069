// Child process of feeds.ts: a watch's feed of 100 items through the feeds handler (middleware
// chain, token look-up, page query, validators, Atom rendering, access log), the same through a
// conditional GET that ends in a 304, against the bare page statement on the same pool. 20,000
// signals in the machine's Postgres through the real Neon driver and the local WebSocket bridge.
// The warm container's caches (the token look-up, the rendered body) serve the repeated requests
// as they would a reader's polls; a third side clears them before each request, the cost of a feed
// that changed or a container that never saw the token.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { resetConfig } from '../../lib/config.js';
import { setDb } from '../../lib/db/client.js';
import { filterConditions, keysetPage, SORT_COLUMNS } from '../../lib/db/signals-queries.js';
import { sql } from '../../lib/db/sql.js';
import type { Db } from '../../lib/db/types.js';
import { createWatch } from '../../lib/db/watches-repo.js';
import { generateFeedToken } from '../../lib/delivery/feed-token.js';
import { clearFeedWatchCache } from '../../lib/delivery/feeds/feed-source.js';
import { clearRenderCache } from '../../lib/delivery/feeds/render-cache.js';
import { toSignalFilter } from '../../lib/delivery/watch-filter.js';
import type { WatchFilter } from '../../lib/model/watch.js';
import { seedSignals } from '../support/signal-factory.js';
import { reportToParent } from './child.js';
import { onPostgres } from './child-postgres.js';
import { benchLambdaContext, getEvent } from './fixtures.js';
import { interleave, percentile } from './stats.js';

export interface FeedsLatency {
  p50Ms: number;
  p95Ms: number;
}

export interface FeedsResult {
  signals: number;
  items: number;
  samples: number;
  feedBytes: number;
  rendered: FeedsLatency;
  notModified: FeedsLatency;
  /** Rendered with the per-container caches cleared first: a cold look-up and a render every time. */
  uncached: FeedsLatency;
  direct: FeedsLatency;
}

const SIGNALS = 20_000;
const ITEMS = 100;
const FILTER: WatchFilter = { min_score: 5, exclude_sources: ['bluesky'] };
const WARM_UP_ROUNDS = 30;
const ROUNDS = 300;

function latency(samples: number[]): FeedsLatency {
  return { p50Ms: percentile(samples, 50), p95Ms: percentile(samples, 95) };
}

async function measure(db: Db): Promise<FeedsResult> {
  setDb(db);
  process.env.RATE_LIMIT_ANONYMOUS = '100000000';
  resetConfig();
  const token = generateFeedToken();
  await createWatch(db, { ownerKeyId: 'bench', name: 'bench watch', filter: FILTER, feedTokenHash: token.hash, feedTokenPrefix: token.prefix }, 10);
  const { handler } = await import('../../functions/feeds.js');
  const context = benchLambdaContext('feeds');
  const url = `/v1/feeds/${token.token}.atom?limit=${String(ITEMS)}`;
  const event = getEvent(url, '/v1/feeds/{file}');
  const first = await handler(event, context);
  if (first.statusCode !== 200) throw new Error(`GET ${url} answered ${String(first.statusCode)}`);
  const etag = first.headers?.etag ?? first.headers?.ETag;
  if (typeof etag !== 'string') throw new Error('the feed has no ETag');
  const conditional: APIGatewayProxyEventV2 = { ...event, headers: { ...event.headers, 'if-none-match': etag } };
  // The statement feedSignals sends (listSignals, fetched_at descending, one row more than the page).
  const statement = keysetPage(SORT_COLUMNS.fetched_at, 'desc', filterConditions(toSignalFilter(FILTER)), ITEMS);
  const entries = (first.body ?? '').split('<entry>').length - 1;
  if (entries !== ITEMS) throw new Error(`the feed has ${String(entries)} entries, not ${String(ITEMS)}`);

  const rendered: number[] = [];
  const notModified: number[] = [];
  const uncached: number[] = [];
  const direct: number[] = [];
  let recording = false;
  const timed = (samples: number[], run: () => Promise<void>) => async (): Promise<void> => {
    const started = performance.now();
    await run();
    if (recording) samples.push(performance.now() - started);
  };
  const steps = [
    timed(rendered, async () => {
      if ((await handler(event, context)).statusCode !== 200) throw new Error('feed not 200');
    }),
    timed(notModified, async () => {
      if ((await handler(conditional, context)).statusCode !== 304) throw new Error('conditional feed not 304');
    }),
    async () => {
      clearFeedWatchCache();
      clearRenderCache();
      await timed(uncached, async () => {
        if ((await handler(event, context)).statusCode !== 200) throw new Error('uncached feed not 200');
      })();
    },
    timed(direct, async () => {
      if ((await db.query(statement)).length !== ITEMS + 1) throw new Error('the page statement returned a short page');
    }),
  ];
  await interleave(WARM_UP_ROUNDS, steps);
  recording = true;
  await interleave(ROUNDS, steps);
  return {
    signals: SIGNALS,
    items: ITEMS,
    samples: rendered.length,
    feedBytes: Buffer.byteLength(first.body ?? ''),
    rendered: latency(rendered),
    notModified: latency(notModified),
    uncached: latency(uncached),
    direct: latency(direct),
  };
}

const result: FeedsResult = await onPostgres(async (db) => {
  await seedSignals(db, SIGNALS);
  await db.query(sql`ANALYZE signals`);
  return await measure(db);
});
reportToParent(result);
