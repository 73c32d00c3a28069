// The X adapter against a local server playing v2 recent search with recorded responses: posts with
// their authors from includes.users, the bearer token, since_id from meta.newest_id, next_token
// paging, an empty result, X's error body, a stale cursor, and the source disabled without a token.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../../lib/config.js';
import { createXSource, snowflakeAt, X_LAG_MS, snowflakeTime, type XSourceOptions } from '../../../../../lib/harvest/sources/x.js';
import { sourceOptionsFromConfig } from '../../../../../lib/harvest/sources/index.js';
import { fixtureJson, json, recordingSleep, runContext, useSourceServer, type ReceivedRequest, type Reply } from '../../../../support/source-server.js';

const server = useSourceServer();

const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAtest%2Fbearer';
const NEXT_TOKEN = 'b26v89c19zqg8o3fpzbj1bl5u2g2ip3t6kngwb17ttl9';
/** The day after the recorded posts: their ids are well within the 7-day window. */
const NOW = Date.parse('2025-01-08T09:00:00Z');

/** `/2/tweets/search/recent`: page 1, or page 2 for its next_token; 401 without the bearer token. */
function recentSearch(request: ReceivedRequest): Reply {
  if (request.path !== '/2/tweets/search/recent') return { status: 404 };
  if (request.headers.authorization !== `Bearer ${TOKEN}`) {
    return { status: 401, body: JSON.stringify({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' }) };
  }
  return json(fixtureJson(request.query.get('next_token') === NEXT_TOKEN ? 'x-recent-search-page-2.json' : 'x-recent-search-page-1.json'));
}

function source(overrides: Partial<XSourceOptions> = {}) {
  return createXSource({ baseUrl: server.url, queries: ['llm -is:retweet lang:en'], bearerToken: TOKEN, userAgent: 'harvest-test/1.0', sleep: recordingSleep().sleep, ...overrides });
}

describe('createXSource', () => {
  it('maps posts with their authors’ usernames', async () => {
    server.respond(recentSearch);

    const result = await source({ maxPages: 1 }).fetch(runContext({ now: () => NOW }));

    expect(result.items[0]).toEqual({
      source: 'x',
      sourceId: '1876706668704801459',
      kind: 'post',
      url: 'https://x.com/ana_ribeiro/status/1876706668704801459',
      title: 'New paper: residency-aware routing keeps MoE LLMs fast on phones & laptops → https://t.co/AbCdEf1234',
      text: 'New paper: residency-aware routing keeps MoE LLMs fast on phones & laptops → https://t.co/AbCdEf1234',
      author: 'ana_ribeiro',
      publishedAt: new Date('2025-01-07T19:05:12.000Z'),
      engagement: { likes: 120, reposts: 31, replies: 8, quotes: 4 },
      tags: [],
      // The account with its display name from includes.users, for entity resolution.
      entities: [{ kind: 'person', role: 'author', source: 'x', handle: 'ana_ribeiro', unique: true, url: 'https://x.com/ana_ribeiro', name: 'Ana Ribeiro' }],
    });
    expect(result.items[1]).toMatchObject({ author: 'quietops', url: 'https://x.com/quietops/status/1876694203233313536' });
    // An author missing from includes: no username, X's id-only status URL.
    expect(result.items[2]).toMatchObject({ author: null, url: 'https://x.com/i/status/1876685227422753613' });
  });

  it('sends the bearer token, the User-Agent and the documented search parameters', async () => {
    server.respond(recentSearch);

    await source({ maxPages: 1 }).fetch(runContext({ now: () => NOW }));

    const [request] = server.requests;
    expect(request?.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'user-agent': 'harvest-test/1.0' });
    expect(Object.fromEntries(request?.query ?? [])).toEqual({
      query: 'llm -is:retweet lang:en',
      max_results: '100',
      'tweet.fields': 'created_at,public_metrics,author_id,lang',
      expansions: 'author_id',
      'user.fields': 'username',
    });
  });

  it('follows next_token, up to maxPages, and stores the first page’s newest_id', async () => {
    server.respond(recentSearch);

    const all = await source({ maxPages: 5 }).fetch(runContext({ now: () => NOW }));
    expect(server.requests.map((request) => request.query.get('next_token'))).toEqual([null, NEXT_TOKEN]);
    expect(all.items).toHaveLength(4);
    expect(all.cursors).toEqual(new Map([['llm -is:retweet lang:en', '1876706668704801459']]));

    server.requests.length = 0;
    await source({ maxPages: 1 }).fetch(runContext({ now: () => NOW }));
    expect(server.requests).toHaveLength(1);
  });

  it('sends the cursor as since_id, and an empty answer leaves the cursor alone', async () => {
    server.respond(() => json(fixtureJson('x-recent-search-empty.json')));
    const cursors = new Map([['llm -is:retweet lang:en', '1876706668704801459']]);

    const result = await source().fetch(runContext({ cursors, now: () => NOW }));

    // 15 minutes behind the cursor: posts the search index adds late
    expect(server.requests[0]?.query.get('since_id')).toBe(snowflakeAt(snowflakeTime('1876706668704801459') - X_LAG_MS));
    expect(result.items).toEqual([]);
    expect(result.queries).toEqual([{ query: 'llm -is:retweet lang:en', items: 0, pages: 1 }]);
    expect(result.cursors.size).toBe(0);
  });

  it('returns only what is newer than since_id on the next run', async () => {
    server.respond(recentSearch);
    const first = await source({ maxPages: 5 }).fetch(runContext({ now: () => NOW }));

    server.requests.length = 0;
    server.respond((request) => {
      const sinceId = BigInt(request.query.get('since_id') ?? '0');
      const page = fixtureJson<{ data: Array<{ id: string }>; includes: unknown }>('x-recent-search-page-1.json');
      const newer = { ...page.data[1], id: '1876800000000000000', text: 'A newer post about LLM evals' };
      const data = [newer, ...page.data].filter((post) => BigInt(post.id) > sinceId);
      return json({ data, includes: page.includes, meta: { newest_id: data[0]?.id, oldest_id: data.at(-1)?.id, result_count: data.length } });
    });
    const second = await source({ maxPages: 5 }).fetch(runContext({ cursors: first.cursors, now: () => NOW }));

    expect(server.requests[0]?.query.get('since_id')).toBe(snowflakeAt(snowflakeTime('1876706668704801459') - X_LAG_MS));
    // the new post first, then the lag window's re-read (the upsert absorbs it, with fresh metrics)
    expect(second.items[0]?.sourceId).toBe('1876800000000000000');
    expect(second.cursors).toEqual(new Map([['llm -is:retweet lang:en', '1876800000000000000']]));
  });

  it('leaves out a since_id older than the 7-day search window', async () => {
    server.respond(recentSearch);
    const cursors = new Map([['llm -is:retweet lang:en', '1876706668704801459']]);
    const eightDaysLater = snowflakeTime('1876706668704801459') + 8 * 24 * 3600 * 1000;

    await source({ maxPages: 1 }).fetch(runContext({ cursors, now: () => eightDaysLater }));

    expect(server.requests[0]?.query.has('since_id')).toBe(false);
  });

  it('records X’s error body and a refused token as query errors', async () => {
    server.respond((request) =>
      request.query.get('query') === 'bad (' ? json({ errors: [{ parameters: { query: ['bad ('] }, message: "There were errors processing your request: Unmatched '('" }], title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' }) : recentSearch(request),
    );

    const result = await source({ queries: ['bad (', 'llm'], maxPages: 1 }).fetch(runContext({ now: () => NOW }));
    const refused = await source({ bearerToken: 'wrong', maxPages: 1 }).fetch(runContext({ now: () => NOW }));

    expect(result.queries).toEqual([
      { query: 'bad (', items: 0, pages: 0, error: "x: the API reported an error: There were errors processing your request: Unmatched '('" },
      { query: 'llm', items: 3, pages: 1 },
    ]);
    expect(refused.queries[0]?.error).toBe('x: HTTP 401');
    expect(refused.queries[0]?.error).not.toContain('wrong');
  });

  it('is disabled without a bearer token and then makes no request', async () => {
    const adapter = source({ bearerToken: undefined });

    const result = await adapter.fetch(runContext());

    expect(adapter.enabled).toBe(false);
    expect(result).toEqual({ items: [], cursors: new Map(), queries: [], requests: 0, retries: 0, truncated: false });
    expect(server.requests).toHaveLength(0);
    expect(createXSource(sourceOptionsFromConfig('x', loadConfig({}))).enabled).toBe(false);
    expect(createXSource(sourceOptionsFromConfig('x', loadConfig({ X_BEARER_TOKEN: 'token' }))).enabled).toBe(true);
  });
});
