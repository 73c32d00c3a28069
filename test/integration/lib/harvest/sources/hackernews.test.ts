// The Hacker News adapter against a local server playing Algolia's HN Search API with recorded
// pages: how hits become stories, the created_at_i cursor, paging by page/nbPages, the page limit,
// shouldStop, retries, and one failing query leaving the others alone.
import { describe, expect, it } from 'vitest';
import { createHackerNewsSource, type HackerNewsSourceOptions } from '../../../../../lib/harvest/sources/hackernews.js';
import { sourceOptionsFromConfig } from '../../../../../lib/harvest/sources/index.js';
import { loadConfig } from '../../../../../lib/config.js';
import { fixture, fixtureJson, inTurn, json, recordingSleep, runContext, useSourceServer, type ReceivedRequest, type Reply } from '../../../../support/source-server.js';

const server = useSourceServer();

/** Algolia's `search_by_date`: the recorded page asked for, with `created_at_i>N` applied as Algolia would. */
function algolia(request: ReceivedRequest): Reply {
  if (request.path !== '/api/v1/search_by_date') return { status: 404 };
  const page = fixtureJson<{ hits: Array<{ created_at_i: number }>; nbPages: number }>(`hackernews-page-${request.query.get('page') ?? '0'}.json`);
  const filter = /^created_at_i>(\d+)$/.exec(request.query.get('numericFilters') ?? '');
  if (filter?.[1] !== undefined) {
    const after = Number(filter[1]);
    page.hits = page.hits.filter((hit) => hit.created_at_i > after);
    page.nbPages = 1;
  }
  return json(page);
}

function source(overrides: Partial<HackerNewsSourceOptions> = {}) {
  return createHackerNewsSource({ baseUrl: `${server.url}/api/v1`, queries: ['llm'], hitsPerPage: 5, userAgent: 'harvest-test/1.0', sleep: recordingSleep().sleep, ...overrides });
}

describe('createHackerNewsSource', () => {
  it('maps Algolia hits to stories, skipping a hit without a title', async () => {
    server.respond(algolia);

    const result = await source({ maxPages: 1 }).fetch(runContext());

    expect(result.items.map((item) => item.sourceId)).toEqual(['42612345', '42612101', '42611877', '42611702']);
    expect(result.items[0]).toEqual({
      source: 'hackernews',
      sourceId: '42612345',
      kind: 'story',
      url: 'https://github.com/ferrisdev/tiny-infer',
      title: 'Show HN: A 200-line LLM inference server in Rust',
      text: '',
      author: 'ferrisdev',
      publishedAt: new Date('2025-01-06T09:15:02Z'),
      engagement: { points: 57, comments: 2 },
      tags: ['show_hn'],
    });
    // Ask HN: no url (the discussion is the story), HTML story_text as plain text.
    expect(result.items[1]).toMatchObject({
      url: 'https://news.ycombinator.com/item?id=42612101',
      text: "We ship a support bot backed by an LLM.\nWhat do you use for regression tests? We tried https://example.com/evals but it's slow & flaky.",
      tags: ['ask_hn'],
    });
    expect(result.queries).toEqual([{ query: 'llm', items: 4, pages: 1 }]);
  });

  it('asks search_by_date for stories with the documented parameters and its User-Agent', async () => {
    server.respond(algolia);

    await source({ maxPages: 1 }).fetch(runContext());

    const [request] = server.requests;
    expect(request?.path).toBe('/api/v1/search_by_date');
    expect(Object.fromEntries(request?.query ?? [])).toEqual({ query: 'llm', tags: 'story', hitsPerPage: '5', page: '0' });
    expect(request?.headers['user-agent']).toBe('harvest-test/1.0');
  });

  it('stores the newest created_at_i and sends it as a numeric filter on the next run', async () => {
    server.respond(algolia);
    const first = await source({ maxPages: 1 }).fetch(runContext());
    expect(first.cursors).toEqual(new Map([['llm', '1736154902']]));

    server.requests.length = 0;
    const page = fixtureJson<{ hits: Array<Record<string, unknown>> }>('hackernews-page-0.json');
    const newer = { ...page.hits[0], objectID: '42700001', title: 'LLM news from the next hour', created_at_i: 1736158500 };
    // indexed late: dated 30 minutes before the stored cursor, absent from the first run's answer
    const late = { ...page.hits[0], objectID: '42700002', title: 'An LLM story Algolia indexed late', created_at_i: 1736154902 - 1800 };
    server.respond((request) => {
      const filter = Number(/^created_at_i>(\d+)$/.exec(request.query.get('numericFilters') ?? '')?.[1] ?? 0);
      const filtered = algolia(request);
      const body = JSON.parse(filtered.body ?? '{}') as { hits: unknown[] };
      return json({ ...body, hits: [newer, ...[late].filter((hit) => hit.created_at_i > filter), ...body.hits] });
    });
    const second = await source({ maxPages: 1 }).fetch(runContext({ cursors: first.cursors }));

    // two hours behind the cursor: the late story is picked up
    expect(server.requests[0]?.query.get('numericFilters')).toBe('created_at_i>1736147702');
    expect(second.items.map((item) => item.sourceId).slice(0, 2)).toEqual(['42700001', '42700002']);
    expect(second.cursors).toEqual(new Map([['llm', '1736158500']]));
  });

  it('follows pages until nbPages, and no further than maxPages', async () => {
    server.respond(algolia);

    const all = await source({ maxPages: 5 }).fetch(runContext());
    expect(server.requests.map((request) => request.query.get('page'))).toEqual(['0', '1', '2']);
    expect(all.items).toHaveLength(7);

    server.requests.length = 0;
    const limited = await source({ maxPages: 2 }).fetch(runContext());
    expect(server.requests.map((request) => request.query.get('page'))).toEqual(['0', '1']);
    expect(limited.queries).toEqual([{ query: 'llm', items: 6, pages: 2 }]);
    expect(limited.truncated).toBe(false);
  });

  it('starts no new page once shouldStop says so, and reports the run as truncated', async () => {
    let pages = 0;
    const context = runContext({ shouldStop: () => pages >= 1 });
    server.respond((request) => {
      pages += 1;
      return algolia(request);
    });

    const result = await source({ maxPages: 5, queries: ['llm', 'rust'] }).fetch(context);

    expect(server.requests).toHaveLength(1);
    expect(result.truncated).toBe(true);
    expect(result.queries).toEqual([
      { query: 'llm', items: 4, pages: 1 },
      { query: 'rust', items: 0, pages: 0 },
    ]);
    // The page it did read moves the cursor; the query that never started keeps its own.
    expect(result.cursors).toEqual(new Map([['llm', '1736154902']]));
  });

  it('starts nothing once the run’s signal has aborted', async () => {
    server.respond(algolia);
    const controller = new AbortController();
    controller.abort();

    const result = await source({ queries: ['llm', 'rust'] }).fetch(runContext({ signal: controller.signal }));

    expect(server.requests).toHaveLength(0);
    expect(result.truncated).toBe(true);
    expect(result.queries.map((outcome) => outcome.pages)).toEqual([0, 0]);
  });

  it('retries a 500 and counts the retry', async () => {
    server.respond(inTurn({ status: 500 }, algolia(serverRequest('0'))));

    const result = await source({ maxPages: 1 }).fetch(runContext());

    expect(result.items).toHaveLength(4);
    expect(result.queries[0]?.error).toBeUndefined();
    expect({ requests: result.requests, retries: result.retries }).toEqual({ requests: 2, retries: 1 });
  });

  it('records garbage for one query as that query’s error and still runs the others', async () => {
    server.respond((request) =>
      request.query.get('query') === 'broken' ? { status: 200, headers: { 'content-type': 'text/html' }, body: fixture('hackernews-page-0.json').slice(0, 400) } : algolia(request),
    );

    const result = await source({ maxPages: 1, queries: ['broken', 'llm'] }).fetch(runContext());

    expect(result.queries).toEqual([
      { query: 'broken', items: 0, pages: 0, error: 'hackernews: the response is not JSON' },
      { query: 'llm', items: 4, pages: 1 },
    ]);
    expect(result.cursors.has('broken')).toBe(false);
    expect(result.items).toHaveLength(4);
  });

  it('is built from the configuration', () => {
    const options = sourceOptionsFromConfig('hackernews', loadConfig({ HACKERNEWS_QUERIES: 'llm, rust', SOURCE_MAX_PAGES: '4' }));

    expect(options).toEqual({
      baseUrl: 'https://hn.algolia.com/api/v1',
      queries: ['llm', 'rust'],
      maxPages: 4,
      timeoutMs: 10_000,
      userAgent: 'signal-harvester/0.1 (scheduled research digest; contact: ops)',
    });
  });
});

/** A request for a recorded page, to build a reply up front. */
function serverRequest(page: string): ReceivedRequest {
  return { method: 'GET', path: '/api/v1/search_by_date', query: new URLSearchParams({ page }), headers: {}, body: '' };
}
