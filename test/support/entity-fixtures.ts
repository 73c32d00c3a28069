// The recorded source pages (test/fixtures/sources) through the real adapters, served by a local
// source server: what the entity tests ingest. One page each of arXiv (authors, an affiliation),
// GitHub (a user and an organisation owner), Hacker News (ferrisdev's Show HN linking its repo)
// and X (accounts with display names).
import { createArxivSource } from '../../lib/harvest/sources/arxiv.js';
import { createGitHubSource } from '../../lib/harvest/sources/github.js';
import { createHackerNewsSource } from '../../lib/harvest/sources/hackernews.js';
import { createXSource } from '../../lib/harvest/sources/x.js';
import type { HarvestedItem, SourceAdapter } from '../../lib/harvest/types.js';
import { fixture, fixtureJson, json, recordingSleep, runContext, type ReceivedRequest, type Reply, type useSourceServer } from './source-server.js';

const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAtest%2Fbearer';
/** The X fixture's posts are older than X's lag as of this instant. */
const X_NOW = Date.parse('2025-01-08T09:00:00Z');

function reply(request: ReceivedRequest): Reply {
  switch (request.path) {
    case '/api/query':
      return { status: 200, headers: { 'content-type': 'application/atom+xml; charset=utf-8' }, body: fixture('arxiv-page-0.xml') };
    case '/search/repositories':
      return json(fixtureJson('github-search-page-1.json'));
    case '/api/v1/search_by_date':
      return json(fixtureJson('hackernews-page-0.json'));
    case '/2/tweets/search/recent':
      return json(fixtureJson('x-recent-search-page-1.json'));
    default:
      return { status: 404 };
  }
}

/** The items of one recorded page per source, in source order arXiv, GitHub, HN, X. */
export async function recordedItems(server: ReturnType<typeof useSourceServer>): Promise<Record<'arxiv' | 'github' | 'hackernews' | 'x', HarvestedItem[]>> {
  server.respond(reply);
  const common = { userAgent: 'harvest-test/1.0', sleep: recordingSleep().sleep, maxPages: 1 };
  const fetchAll = async (adapter: SourceAdapter, now?: number): Promise<HarvestedItem[]> =>
    (await adapter.fetch(runContext(now === undefined ? {} : { now: () => now }))).items;
  return {
    arxiv: await fetchAll(createArxivSource({ ...common, baseUrl: server.url, queries: ['cat:cs.LG'], pageSize: 10, requestIntervalMs: 0 })),
    github: await fetchAll(createGitHubSource({ ...common, baseUrl: server.url, queries: ['topic:llm'], perPage: 10 })),
    hackernews: await fetchAll(createHackerNewsSource({ ...common, baseUrl: `${server.url}/api/v1`, queries: ['llm'], hitsPerPage: 10 })),
    x: await fetchAll(createXSource({ ...common, baseUrl: server.url, queries: ['llm'], bearerToken: TOKEN }), X_NOW),
  };
}
