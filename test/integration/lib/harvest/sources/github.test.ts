// The GitHub adapter against a local server playing the REST search API with recorded pages: how
// repositories become signals, the pushed:> cursor, paging by per_page/total_count, the headers
// (token only when set), rate-limit 403s and a bad item in the middle of a page.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../../lib/config.js';
import { createGitHubSource, type GitHubSourceOptions } from '../../../../../lib/harvest/sources/github.js';
import { sourceOptionsFromConfig } from '../../../../../lib/harvest/sources/index.js';
import { fixtureJson, inTurn, json, recordingSleep, runContext, useSourceServer, type ReceivedRequest, type Reply } from '../../../../support/source-server.js';

const server = useSourceServer();

interface SearchPage {
  total_count: number;
  items: Array<Record<string, unknown>>;
}

/** `/search/repositories`: the recorded page asked for. */
function search(request: ReceivedRequest): Reply {
  if (request.path !== '/search/repositories') return { status: 404 };
  return json(fixtureJson<SearchPage>(`github-search-page-${request.query.get('page') ?? '1'}.json`));
}

function source(overrides: Partial<GitHubSourceOptions> = {}) {
  return createGitHubSource({ baseUrl: server.url, queries: ['topic:llm'], perPage: 2, userAgent: 'harvest-test/1.0', sleep: recordingSleep().sleep, ...overrides });
}

describe('createGitHubSource', () => {
  it('maps search items to repositories', async () => {
    server.respond(search);

    const result = await source({ maxPages: 1 }).fetch(runContext());

    expect(result.items).toEqual([
      {
        source: 'github',
        sourceId: '912345678',
        kind: 'repository',
        url: 'https://github.com/ferrisdev/tiny-infer',
        title: 'ferrisdev/tiny-infer',
        text: 'A 200-line LLM inference server in Rust',
        author: 'ferrisdev',
        publishedAt: new Date('2025-01-02T10:11:12Z'),
        engagement: { stars: 412, forks: 23, watchers: 412, open_issues: 7 },
        tags: ['llm', 'rust', 'inference'],
        entities: [{ kind: 'person', role: 'owner', source: 'github', handle: 'ferrisdev', unique: true, url: 'https://github.com/ferrisdev' }],
      },
      expect.objectContaining({ sourceId: '887766554', title: 'evalkit/evalkit', author: 'evalkit', tags: ['llm', 'evaluation', 'testing'] }),
    ]);
  });

  it('sends the API headers, and the token only when one is set', async () => {
    server.respond(search);

    await source({ maxPages: 1 }).fetch(runContext());
    await source({ maxPages: 1, token: 'ghp_test_token' }).fetch(runContext());

    const [anonymous, authenticated] = server.requests;
    expect(anonymous?.headers).toMatchObject({ accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'harvest-test/1.0' });
    expect(anonymous?.headers.authorization).toBeUndefined();
    expect(authenticated?.headers.authorization).toBe('Bearer ghp_test_token');
    expect(Object.fromEntries(anonymous?.query ?? [])).toEqual({ q: 'topic:llm', sort: 'updated', order: 'desc', per_page: '2', page: '1' });
  });

  it('stores the newest updated_at (the sort field) and asks for pushed:> it, less the 2-hour lag, on the next run', async () => {
    server.respond(search);
    const first = await source({ maxPages: 1 }).fetch(runContext());
    expect(first.cursors).toEqual(new Map([['topic:llm', '2025-01-06T09:20:00Z']]));

    server.requests.length = 0;
    const page = fixtureJson<SearchPage>('github-search-page-1.json');
    const pushedLater = { ...page.items[1], pushed_at: '2025-01-06T11:00:00Z', updated_at: '2025-01-06T11:00:00Z', stargazers_count: 1301 };
    server.respond(() => json({ total_count: 1, incomplete_results: false, items: [pushedLater] }));
    const second = await source({ maxPages: 1 }).fetch(runContext({ cursors: first.cursors }));

    expect(server.requests[0]?.query.get('q')).toBe('topic:llm pushed:>2025-01-06T07:20:00+00:00');
    expect(second.items.map((item) => [item.sourceId, item.engagement.stars])).toEqual([['887766554', 1301]]);
    expect(second.cursors).toEqual(new Map([['topic:llm', '2025-01-06T11:00:00Z']]));
  });

  it('pages while full pages come back and total_count is not reached, up to maxPages', async () => {
    server.respond(search);

    const all = await source({ maxPages: 10 }).fetch(runContext());
    expect(server.requests.map((request) => request.query.get('page'))).toEqual(['1', '2', '3']);
    expect(all.items).toHaveLength(5);

    server.requests.length = 0;
    const limited = await source({ maxPages: 2 }).fetch(runContext());
    expect(server.requests).toHaveLength(2);
    expect(limited.queries).toEqual([{ query: 'topic:llm', items: 4, pages: 2 }]);
  });

  it('skips an item it cannot key and keeps the rest of the page', async () => {
    const page = fixtureJson<SearchPage>('github-search-page-1.json');
    page.items.splice(1, 0, { node_id: 'R_kgDObroken', html_url: 'https://github.com/ghost/gone', created_at: '2025-01-01T00:00:00Z' }, { id: 5, full_name: 'x/y', html_url: 'javascript:alert(1)', created_at: '2025-01-01T00:00:00Z' });
    server.respond(() => json(page));

    const result = await source({ maxPages: 1, perPage: 100 }).fetch(runContext());

    expect(result.items.map((item) => item.sourceId)).toEqual(['912345678', '887766554']);
    expect(result.queries[0]?.error).toBeUndefined();
  });

  it('waits for a rate-limit reset within the budget, and gives up on one past it', async () => {
    const now = Date.now();
    const resetSoon = String(Math.ceil(now / 1000) + 2);
    const recorded = recordingSleep();
    server.respond(inTurn({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetSoon }, body: '{"message":"API rate limit exceeded"}' }, search(pageRequest())));

    const waited = await source({ maxPages: 1, sleep: recorded.sleep }).fetch(runContext({ now: () => now }));

    expect(waited.items).toHaveLength(2);
    expect(recorded.waits).toHaveLength(1);
    expect(recorded.waits[0]).toBeGreaterThan(1000);
    expect(recorded.waits[0]).toBeLessThanOrEqual(3000);

    server.respond(() => ({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(now / 1000) + 3600) } }));
    const refused = await source({ maxPages: 1, queries: ['topic:llm', 'topic:rust'] }).fetch(runContext({ now: () => now }));

    expect(refused.queries.map((outcome) => outcome.error)).toEqual([
      expect.stringMatching(/^github: rate limited \(HTTP 403\); asked to wait 36\d\d s, more than the 30 s allowed$/),
      expect.stringMatching(/^github: rate limited/),
    ]);
  });

  it('records a body of another shape as the query’s error', async () => {
    server.respond((request) => (request.query.get('q') === 'topic:odd' ? json({ message: 'Validation Failed' }) : search(request)));

    const result = await source({ maxPages: 1, queries: ['topic:odd', 'topic:llm'] }).fetch(runContext());

    expect(result.queries).toEqual([
      { query: 'topic:odd', items: 0, pages: 0, error: 'github: the response has no items[]' },
      { query: 'topic:llm', items: 2, pages: 1 },
    ]);
  });

  it('is built from the configuration, token included', () => {
    const options = sourceOptionsFromConfig('github', loadConfig({ GITHUB_TOKEN: 'ghp_x', GITHUB_QUERIES: 'topic:llm' }));

    expect(options).toMatchObject({ baseUrl: 'https://api.github.com', queries: ['topic:llm'], token: 'ghp_x', maxPages: 3 });
  });
});

function pageRequest(page = '1'): ReceivedRequest {
  return { method: 'GET', path: '/search/repositories', query: new URLSearchParams({ page }), headers: {}, body: '' };
}
