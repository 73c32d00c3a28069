// The arXiv adapter against a local server playing the arXiv API with recorded Atom feeds: entries
// (one or many authors and categories, versioned and old-style ids), the published cursor and the
// stop at the first entry that is not newer, paging by start/max_results, pacing, a single-entry
// feed, the error feed, and broken XML.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../../lib/config.js';
import { ARXIV_LAG_MS, arxivId, createArxivSource, type ArxivSourceOptions } from '../../../../../lib/harvest/sources/arxiv.js';
import { sourceOptionsFromConfig } from '../../../../../lib/harvest/sources/index.js';
import { fixture, recordingSleep, runContext, useSourceServer, type ReceivedRequest, type Reply } from '../../../../support/source-server.js';

const server = useSourceServer();

function atom(name: string): Reply {
  return { status: 200, headers: { 'content-type': 'application/atom+xml; charset=utf-8' }, body: fixture(name) };
}

/** `/api/query`: the recorded page for `start` (0 or 3, pages of three). */
function arxiv(request: ReceivedRequest): Reply {
  if (request.path !== '/api/query') return { status: 404 };
  return atom(request.query.get('start') === '3' ? 'arxiv-page-1.xml' : 'arxiv-page-0.xml');
}

function source(overrides: Partial<ArxivSourceOptions> = {}) {
  return createArxivSource({ baseUrl: server.url, queries: ['cat:cs.LG'], pageSize: 3, requestIntervalMs: 0, userAgent: 'harvest-test/1.0', sleep: recordingSleep().sleep, ...overrides });
}

describe('createArxivSource', () => {
  it('maps Atom entries to preprints, skipping an entry without an id', async () => {
    server.respond(arxiv);

    const result = await source().fetch(runContext());

    expect(result.items.map((item) => item.sourceId)).toEqual(['2501.03456', '2501.03401', '2501.03388', '2501.03300', '2501.03111']);
    expect(result.items[0]).toEqual({
      source: 'arxiv',
      sourceId: '2501.03456',
      kind: 'preprint',
      url: 'https://arxiv.org/abs/2501.03456v1',
      title: 'Sparse Mixture-of-Experts at the Edge: Routing Under a Memory Budget',
      text:
        'We study sparse mixture-of-experts (MoE) language models on devices with a fixed memory budget. Routing decisions that ignore memory residency cause expert thrashing; we propose a residency-aware router that keeps throughput within 8% of an unconstrained model while using 40% less memory.',
      author: 'Ana Ribeiro, Kenji Watanabe, Lena Müller et al.',
      publishedAt: new Date('2025-01-07T18:59:58Z'),
      engagement: {},
      tags: ['cs.lg', 'cs.ai', 'stat.ml'],
      // Every author, not only the three of the display line.
      entities: ['Ana Ribeiro', 'Kenji Watanabe', 'Lena Müller', 'Omar Haddad', 'Priya Natarajan'].map((handle) => ({ kind: 'person', role: 'author', source: 'arxiv', handle, unique: false })),
    });
    // Entities decoded, the alternate link picked among several, the primary category first.
    expect(result.items[1]).toMatchObject({
      title: 'Evaluating LLM Judges Against Human Raters & Each Other',
      url: 'https://arxiv.org/abs/2501.03401v2',
      author: 'Maria Gonzalez, Tom Becker',
      tags: ['cs.cl', 'cs.lg'],
      // arXiv's affiliation, where the feed gives one.
      entities: [
        { kind: 'person', role: 'author', source: 'arxiv', handle: 'Maria Gonzalez', unique: false, affiliation: 'Universidad de Chile' },
        { kind: 'person', role: 'author', source: 'arxiv', handle: 'Tom Becker', unique: false },
      ],
    });
    // A title of digits stays text; one author, one category still read as lists.
    expect(result.items[2]).toMatchObject({ title: '2048', author: 'Sam Okafor', tags: ['cs.lg'] });
  });

  it('asks for the newest submissions first, page by page, with its User-Agent', async () => {
    server.respond(arxiv);

    const result = await source().fetch(runContext());

    expect(server.requests.map((request) => Object.fromEntries(request.query))).toEqual([
      { search_query: 'cat:cs.LG', sortBy: 'submittedDate', sortOrder: 'descending', start: '0', max_results: '3' },
      { search_query: 'cat:cs.LG', sortBy: 'submittedDate', sortOrder: 'descending', start: '3', max_results: '3' },
    ]);
    expect(server.requests[0]?.headers['user-agent']).toBe('harvest-test/1.0');
    // The second page holds 3 entries and reaches totalResults (6): no third request.
    expect(result.queries).toEqual([{ query: 'cat:cs.LG', items: 5, pages: 2 }]);
  });

  it('stops at maxPages', async () => {
    server.respond(arxiv);

    const result = await source({ maxPages: 1 }).fetch(runContext());

    expect(server.requests).toHaveLength(1);
    expect(result.items).toHaveLength(3);
  });

  it('stores the newest published date and keeps only entries newer than the lag window on the next run', async () => {
    server.respond(arxiv);
    const first = await source().fetch(runContext());
    expect(first.cursors).toEqual(new Map([['cat:cs.LG', '2025-01-07T18:59:58.000Z']]));

    server.requests.length = 0;
    server.respond(() => atom('arxiv-page-0-next-day.xml'));
    const second = await source().fetch(runContext({ cursors: first.cursors }));

    // the new paper first, then those of the 3-day lag window (papers announced days after submission)
    expect(second.items[0]?.sourceId).toBe('2501.04012');
    for (const item of second.items) expect(item.publishedAt.getTime()).toBeGreaterThan(Date.parse('2025-01-07T18:59:58.000Z') - ARXIV_LAG_MS);
    expect(second.cursors).toEqual(new Map([['cat:cs.LG', '2025-01-08T15:45:00.000Z']]));
  });

  it('reads a feed with a single entry', async () => {
    server.respond(() => atom('arxiv-single-entry.xml'));

    const result = await source({ queries: ['all:"format drift"'], pageSize: 100 }).fetch(runContext());

    expect(result.items).toEqual([
      expect.objectContaining({ sourceId: 'hep-th/9901001', url: 'http://arxiv.org/abs/hep-th/9901001v3', author: 'Alex Solo', tags: ['hep-th'] }),
    ]);
  });

  it('turns the error feed into the query’s error and broken XML into another’s, and the rest succeed', async () => {
    server.respond((request) => {
      const query = request.query.get('search_query');
      if (query === 'cat:') return atom('arxiv-error.xml');
      if (query === 'cat:cs.CL') return { status: 200, body: fixture('arxiv-page-0.xml').slice(0, 1500) };
      return arxiv(request);
    });

    const result = await source({ queries: ['cat:', 'cat:cs.CL', 'cat:cs.LG'], maxPages: 1 }).fetch(runContext());

    expect(result.queries).toEqual([
      { query: 'cat:', items: 0, pages: 0, error: 'arxiv: the API reported an error: malformed search query: cat:' },
      { query: 'cat:cs.CL', items: 0, pages: 0, error: expect.stringMatching(/^arxiv: the response is not valid XML \(\w+ at line \d+\)$/) as unknown },
      { query: 'cat:cs.LG', items: 3, pages: 1 },
    ]);
    expect([...result.cursors.keys()]).toEqual(['cat:cs.LG']);
  });

  it('rejects a document that is XML but not a feed, and a plain-text throttle answer', async () => {
    server.respond((request) =>
      request.query.get('search_query') === 'cat:a' ? { status: 200, body: '<html><body>Service busy</body></html>' } : { status: 200, body: 'Rate exceeded.' },
    );

    const result = await source({ queries: ['cat:a', 'cat:b'] }).fetch(runContext());

    expect(result.queries.map((outcome) => outcome.error)).toEqual([
      'arxiv: the response is not an Atom feed',
      expect.stringMatching(/^arxiv: the response is not valid XML/),
    ]);
  });

  it('paces its requests as arXiv asks', async () => {
    server.respond(arxiv);
    const recorded = recordingSleep();
    let clock = 1_000_000;

    await source({ requestIntervalMs: 3000, sleep: recorded.sleep, queries: ['cat:cs.LG', 'cat:cs.AI'], maxPages: 1 }).fetch(
      runContext({ now: () => (clock += 10) }),
    );

    expect(server.requests).toHaveLength(2);
    expect(recorded.waits).toHaveLength(1);
    expect(recorded.waits[0]).toBeGreaterThan(2900);
    expect(recorded.waits[0]).toBeLessThanOrEqual(3000);
  });

  it('is built from the configuration', () => {
    expect(sourceOptionsFromConfig('arxiv', loadConfig({ ARXIV_QUERIES: 'cat:cs.LG' }))).toMatchObject({ baseUrl: 'https://export.arxiv.org', queries: ['cat:cs.LG'] });
  });
});

describe('arxivId', () => {
  it('drops the version and keeps old-style archive ids', () => {
    expect(arxivId('http://arxiv.org/abs/2401.01234v2')).toBe('2401.01234');
    expect(arxivId('https://arxiv.org/abs/2401.01234')).toBe('2401.01234');
    expect(arxivId('http://arxiv.org/abs/hep-th/9901001v1')).toBe('hep-th/9901001');
    expect(arxivId('http://arxiv.org/api/errors#malformed')).toBeUndefined();
  });
});
