// A signal's duplicate group through the API on both drivers: GET /v1/signals/{id} answers the
// signal with `mentions` (every report of its story, earliest first; itself alone when it has
// none), valid against the documented schema; the list carries `duplicate_group` and `mention_count`.
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { signalPageSchema } from '../../../../lib/api/signal-json.js';
import { signalDetailSchema } from '../../../../lib/api/signal-mentions.js';
import { mountSignalsApi } from '../../../../lib/api/signals-api.js';
import { setDb } from '../../../../lib/db/client.js';
import { sql } from '../../../../lib/db/sql.js';
import type { Db } from '../../../../lib/db/types.js';
import { createKeywordClassifier } from '../../../../lib/harvest/classify/index.js';
import { ingestItems } from '../../../../lib/harvest/ingest.js';
import { buildGraph } from '../../../../lib/graph/build.js';
import type { HarvestedItem } from '../../../../lib/harvest/types.js';
import { httpFunction } from '../../../../lib/http/index.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { httpEvent, lambdaContext } from '../../../support/http-event.js';
import { testJobContext } from '../../../support/job-context.js';

const handler = httpFunction('signal-mentions-test', mountSignalsApi);
const NOW = Date.parse('2026-11-30T12:00:00Z');

function post(source: HarvestedItem['source'], sourceId: string, title: string, hoursAgo: number): HarvestedItem {
  return {
    source,
    sourceId,
    kind: source === 'hackernews' ? 'story' : 'post',
    url: `https://${source}.example.com/${sourceId}`,
    title,
    text: '',
    author: null,
    publishedAt: new Date(NOW - hoursAgo * 3_600_000),
    engagement: {},
    tags: [],
  };
}

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const result: APIGatewayProxyResultV2 = await handler(httpEvent('GET', path), lambdaContext('signal-mentions-test', 10_000));
  if (typeof result === 'string') throw new Error('expected a structured result');
  return { status: result.statusCode ?? 0, body: JSON.parse(result.body ?? 'null') };
}

beforeEach(() => {
  // Keeps the access log lines out of the test output.
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describeOnDrivers('a signal with its mentions on $driver', ({ open }) => {
  let db: Db;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    ({ db } = await open());
    await ingestItems(
      db,
      [
        post('hackernews', 'm-hn', 'Ferrite 2.0: a memory-safe rewrite of the Linux page cache', 5),
        post('reddit', 'm-rd', 'Ferrite 2.0 — memory-safe rewrite of the Linux page cache lands', 4),
        post('x', 'm-x', 'Ferrite 2.0 is here: the memory-safe Linux page cache rewrite', 3),
        post('hackernews', 'm-alone', 'Ask HN: which keyboard do you use for writing kernels', 2),
      ],
      { classifier: createKeywordClassifier(), nowMs: NOW },
    );
    // The graph-build job groups them, as its next run after the harvest would.
    await buildGraph(db, testJobContext({ job: 'graph-build' }), { settleMs: 0, now: () => NOW });
    for (const row of await db.query<{ id: string; sourceId: string }>(sql`SELECT id::text AS id, source_id AS "sourceId" FROM signals`)) ids.set(row.sourceId, row.id);
  });

  beforeEach(() => {
    setDb(db);
  });

  it('answers a grouped signal with every report of its story, earliest first', async () => {
    const { status, body } = await get(`/v1/signals/${ids.get('m-x') ?? ''}`);

    expect(status).toBe(200);
    const signal = z.parse(signalDetailSchema, body);
    expect(signal.duplicate_group).toBe(ids.get('m-hn'));
    expect(signal.mention_count).toBe(3);
    expect(signal.mentions.map((mention) => [mention.source, mention.id])).toEqual([
      ['hackernews', ids.get('m-hn')],
      ['reddit', ids.get('m-rd')],
      ['x', ids.get('m-x')],
    ]);
    expect(signal.mentions[0]).toEqual({
      id: ids.get('m-hn'),
      source: 'hackernews',
      url: 'https://hackernews.example.com/m-hn',
      title: 'Ferrite 2.0: a memory-safe rewrite of the Linux page cache',
      published_at: new Date(NOW - 5 * 3_600_000).toISOString(),
    });
  });

  it('answers a signal no other source reports with itself as its one mention', async () => {
    const { body } = await get(`/v1/signals/${ids.get('m-alone') ?? ''}`);

    const signal = z.parse(signalDetailSchema, body);
    expect(signal).toMatchObject({ duplicate_group: null, mention_count: 1 });
    expect(signal.mentions.map((mention) => mention.id)).toEqual([ids.get('m-alone')]);
  });

  it('lists duplicate_group and mention_count on every signal of a page', async () => {
    const { body } = await get('/v1/signals?sort=published_at&order=asc');

    const page = z.parse(signalPageSchema, body);
    expect(page.items.map((item) => [item.duplicate_group, item.mention_count])).toEqual([
      [ids.get('m-hn'), 3],
      [ids.get('m-hn'), 3],
      [ids.get('m-hn'), 3],
      [null, 1],
    ]);
  });
});
