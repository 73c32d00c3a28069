// The Reddit adapter against a local server playing `/r/{subreddit}/new.json` with recorded
// listings: posts (self, external link, Reddit-hosted image), the skipped stickied and NSFW posts,
// the created_utc cursor and the stop at the first older post, paging with `after`, the User-Agent,
// and a listing that is not JSON; app-only OAuth (the token request, the bearer, a token kept until
// it expires), Reddit's x-ratelimit-* budget, and no credentials = the source off with a log line.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../../../lib/config.js';
import { createRedditSource, REDDIT_LAG_MS, type RedditSourceOptions } from '../../../../../lib/harvest/sources/reddit.js';
import { sourceOptionsFromConfig } from '../../../../../lib/harvest/sources/index.js';
import { forgetRedditTokens } from '../../../../../lib/harvest/sources/reddit-oauth.js';
import { captureLogLines } from '../../../../support/capture-log.js';
import { type Responder, fixtureJson, inTurn, json, recordingSleep, runContext, useSourceServer, type ReceivedRequest, type Reply } from '../../../../support/source-server.js';

const server = useSourceServer();

interface Listing {
  data: { after: string | null; children: Array<{ kind: string; data: Record<string, unknown> }> };
}

/** `/r/MachineLearning/new.json`: page 1, or page 2 after `t3_1hv0003`. */
function reddit(request: ReceivedRequest): Reply {
  if (request.path !== '/r/MachineLearning/new.json') return { status: 404 };
  return json(fixtureJson<Listing>(request.query.get('after') === 't3_1hv0003' ? 'reddit-new-page-2.json' : 'reddit-new-page-1.json'));
}

const TOKEN_PATH = '/auth/api/v1/access_token';
let tokensIssued = 0;

/** Answers the OAuth token request (a new token each time), and everything else with `responder`. */
function withToken(responder: Responder): Responder {
  return (request) => {
    if (request.path === TOKEN_PATH) {
      tokensIssued += 1;
      return json({ access_token: `token-${String(tokensIssued)}`, token_type: 'bearer', expires_in: 86_400, scope: '*' });
    }
    return responder(request);
  };
}

/** The listing requests (not the token's). */
const listings = (): ReceivedRequest[] => server.requests.filter((request) => request.path !== TOKEN_PATH);

beforeEach(() => {
  forgetRedditTokens();
  tokensIssued = 0;
});

function source(overrides: Partial<RedditSourceOptions> = {}) {
  return createRedditSource({
    baseUrl: server.url,
    authUrl: `${server.url}/auth`,
    clientId: 'app-id',
    clientSecret: 'app-secret',
    queries: ['MachineLearning'],
    userAgent: 'signal-harvester/0.1 (test; contact: ops@example.com)',
    sleep: recordingSleep().sleep,
    ...overrides,
  });
}

describe('createRedditSource', () => {
  it('maps posts, skipping the stickied, the NSFW and one without a title', async () => {
    server.respond(withToken(reddit));

    const result = await source({ maxPages: 1 }).fetch(runContext());

    expect(result.items.map((item) => item.sourceId)).toEqual(['1hv0007', '1hv0006', '1hv0004']);
    // An external link keeps its URL.
    expect(result.items[0]).toEqual({
      source: 'reddit',
      sourceId: '1hv0007',
      kind: 'post',
      url: 'https://arxiv.org/abs/2501.03456',
      title: '[R] Residency-aware routing for MoE on edge devices',
      text: '',
      author: 'ana_r',
      publishedAt: new Date(1736275300 * 1000),
      engagement: { score: 41, comments: 7, upvote_ratio: 0.96 },
      tags: ['machinelearning'],
    });
    // A self post links to its discussion; its text keeps line breaks, tidied.
    expect(result.items[1]).toMatchObject({
      url: 'https://www.reddit.com/r/MachineLearning/comments/1hv0006/d_how_are_you_evaluating_llm/',
      text: 'We compared three judge models against human ratings &\n\nthe agreement was terrible for long answers.\nAnyone else?',
    });
    // An i.redd.it image is Reddit's own: the discussion is the link.
    expect(result.items[2]?.url).toMatch(/^https:\/\/www\.reddit\.com\/r\/MachineLearning\/comments\/1hv0004\//);
  });

  it('reads the new listing, 100 at a time, raw JSON, with a descriptive User-Agent', async () => {
    server.respond(withToken(reddit));

    await source({ maxPages: 1 }).fetch(runContext());

    const [request] = listings();
    expect(request?.path).toBe('/r/MachineLearning/new.json');
    expect(Object.fromEntries(request?.query ?? [])).toEqual({ limit: '100', raw_json: '1' });
    expect(request?.headers['user-agent']).toBe('signal-harvester/0.1 (test; contact: ops@example.com)');
  });

  it('pages with after until the listing ends, and no further than maxPages', async () => {
    server.respond(withToken(reddit));

    const all = await source({ maxPages: 5 }).fetch(runContext());
    expect(listings().map((request) => request.query.get('after'))).toEqual([null, 't3_1hv0003']);
    expect(all.items.map((item) => item.sourceId)).toEqual(['1hv0007', '1hv0006', '1hv0004', '1hv0002', '1hv0001']);
    // A deleted author is no author.
    expect(all.items[4]?.author).toBeNull();

    server.requests.length = 0;
    await source({ maxPages: 1 }).fetch(runContext());
    expect(listings()).toHaveLength(1);
  });

  it('stores the newest created_utc and stops at the first post that is not newer on the next run', async () => {
    server.respond(withToken(reddit));
    const first = await source({ maxPages: 5 }).fetch(runContext());
    expect(first.cursors).toEqual(new Map([['MachineLearning', '1736275300']]));

    server.requests.length = 0;
    const page = fixtureJson<Listing>('reddit-new-page-1.json');
    const fresh = { kind: 't3', data: { ...page.data.children[2]?.data, id: '1hw0001', name: 't3_1hw0001', title: '[D] A post from the next hour', created_utc: 1736279000.0 } };
    // The stickied post stays on top; the fresh one comes next, then what the last run saw.
    page.data.children.splice(1, 0, fresh);
    server.respond(withToken(() => json(page)));
    const second = await source({ maxPages: 5 }).fetch(runContext({ cursors: first.cursors }));

    // the fresh post, then the 6-hour lag window (posts approved late; their scores re-polled)
    expect(second.items[0]?.sourceId).toBe('1hw0001');
    for (const item of second.items) expect(item.publishedAt.getTime()).toBeGreaterThan((1736275300 - REDDIT_LAG_MS / 1000) * 1000);
    expect(listings().length).toBeGreaterThanOrEqual(1);
    expect(second.cursors).toEqual(new Map([['MachineLearning', '1736279000']]));
  });

  it('keeps going past a listing that is not JSON, and retries a 503', async () => {
    server.respond(
      withToken((request) => {
        if (request.path === '/r/broken/new.json') return { status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><title>Blocked</title>' };
        return reddit(request);
      }),
    );
    const broken = await source({ queries: ['broken', 'MachineLearning'], maxPages: 1 }).fetch(runContext());
    expect(broken.queries).toEqual([
      { query: 'broken', items: 0, pages: 0, error: 'reddit: the response is not JSON' },
      { query: 'MachineLearning', items: 3, pages: 1 },
    ]);

    server.respond(withToken(inTurn({ status: 503 }, reddit({ method: 'GET', path: '/r/MachineLearning/new.json', query: new URLSearchParams(), headers: {}, body: '' }))));
    const retried = await source({ maxPages: 1 }).fetch(runContext());
    expect(retried.items).toHaveLength(3);
    expect(retried.retries).toBe(1);
  });

  it('records a JSON body that is not a listing as the query’s error', async () => {
    server.respond(withToken(() => json({ message: 'Forbidden', error: 403 })));

    const result = await source().fetch(runContext());

    expect(result.queries[0]?.error).toBe('reddit: the response is not a listing');
  });

  it('is built from the configuration', () => {
    expect(sourceOptionsFromConfig('reddit', loadConfig({ REDDIT_SUBREDDITS: 'MachineLearning,LocalLLaMA', REDDIT_CLIENT_ID: 'id', REDDIT_CLIENT_SECRET: 's' }))).toMatchObject({
      baseUrl: 'https://oauth.reddit.com',
      authUrl: 'https://www.reddit.com',
      clientId: 'id',
      clientSecret: 's',
      queries: ['MachineLearning', 'LocalLLaMA'],
      redditUserAgent: 'lambda:signal-harvester:0.1.0 (by /u/signal-harvester)',
    });
    expect(() => loadConfig({ REDDIT_USER_AGENT: 'my bot' })).toThrow(/REDDIT_USER_AGENT/);
  });

  it('asks for an app-only token once, then reads every listing with it as a bearer', async () => {
    server.respond(withToken(reddit));

    await source({ maxPages: 5 }).fetch(runContext());
    await source({ maxPages: 1 }).fetch(runContext());

    const token = server.requests.filter((request) => request.path === TOKEN_PATH);
    expect(token).toHaveLength(1);
    expect(token[0]?.method).toBe('POST');
    expect(token[0]?.headers.authorization).toBe(`Basic ${Buffer.from('app-id:app-secret').toString('base64')}`);
    expect(token[0]?.body).toBe('grant_type=client_credentials');
    expect(token[0]?.headers['user-agent']).toBe('signal-harvester/0.1 (test; contact: ops@example.com)');
    expect(listings().map((request) => request.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-1']);
  });

  it('waits for the reset when x-ratelimit-remaining runs out, and stops when the reset is too far', async () => {
    // Prepare: page 1 spends the last request of the window, which resets in 7 s
    const { sleep, waits } = recordingSleep();
    server.respond(withToken((request) => ({ ...reddit(request), headers: { 'content-type': 'application/json', 'x-ratelimit-remaining': '0.0', 'x-ratelimit-used': '100', 'x-ratelimit-reset': '7' } })));

    // Act
    const result = await source({ maxPages: 2, sleep }).fetch(runContext());

    // Assess: waited 7 s before page 2
    expect(waits).toEqual([7000]);
    expect(listings()).toHaveLength(2);
    expect(result.items).toHaveLength(5);

    // A reset 10 minutes away: the subreddit stops with a rate-limit error instead of holding the job
    server.requests.length = 0;
    server.respond(withToken((request) => ({ ...reddit(request), headers: { 'content-type': 'application/json', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '600' } })));
    const stopped = await source({ maxPages: 2, sleep }).fetch(runContext());
    expect(listings()).toHaveLength(1);
    expect(stopped.queries[0]?.error).toBe('reddit: rate limit used up; it resets in 600 s');
  });

  it('is off without credentials, with one clear log line, and asks nothing', async () => {
    vi.restoreAllMocks();
    const warnings = captureLogLines('WARN');
    server.respond(withToken(reddit));

    const adapter = source({ clientId: undefined, clientSecret: undefined });
    const result = await adapter.fetch(runContext());
    vi.restoreAllMocks();

    expect(adapter.enabled).toBe(false);
    expect(result.items).toEqual([]);
    expect(server.requests).toHaveLength(0);
    expect(warnings()).toEqual([expect.objectContaining({ source: 'reddit', reason: 'no_credentials' })]);
  });
});
