// The graph API through the app (app.request, no server) on both drivers, over a store the real
// linking step filled (a paper, its repository, posts about them, a pending citation) plus a cycle
// of edges: related edges both ways with the other end or the pending identifier, the graph to a
// depth with its node cap, counts by type; bad depth and types are 400s naming the field, unknown
// signals 404s; every body matches the schema the OpenAPI document publishes.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { mountGraphApi } from '../../../../lib/api/graph-api.js';
import { graphRoute, relatedRoute, relationshipStatsRoute } from '../../../../lib/api/graph-routes.js';
import { openApiDocument } from '../../../../lib/api/openapi-document.js';
import { setDb } from '../../../../lib/db/client.js';
import { insertEdges } from '../../../../lib/db/signal-edges-repo.js';
import { upsertSignalsWithIds } from '../../../../lib/db/signals-upsert.js';
import type { Db } from '../../../../lib/db/types.js';
import { linkSignals } from '../../../../lib/graph/link.js';
import { createApp, type App } from '../../../../lib/http/app.js';
import type { NewSignal } from '../../../../lib/model/signal.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { makeSignal } from '../../../support/signal-factory.js';

interface ErrorJson {
  error: { code: string; details?: Array<{ location: string; field: string }> };
}
interface RelatedJson {
  items: Array<{ type: string; direction: string; confidence: number; identifier: string; pending: boolean; evidence: Record<string, unknown>; signal: { id: string; source: string } | null }>;
}
interface GraphJson {
  nodes: Array<{ id: string; source: string; depth: number }>;
  edges: Array<{ from: string; to: string; type: string }>;
  truncated: boolean;
}

const SIGNALS: Array<Partial<NewSignal>> = [
  { source: 'arxiv', sourceId: '2501.04567', kind: 'preprint', url: 'https://arxiv.org/abs/2501.04567', title: 'Residency-aware routing', text: 'Extends arXiv:2401.04088. Code: https://github.com/moe-lab/resroute' },
  { source: 'github', sourceId: '923456789', kind: 'repository', url: 'https://github.com/moe-lab/resroute', title: 'moe-lab/resroute', text: 'Implementation of arXiv:2501.04567' },
  { source: 'hackernews', sourceId: '42623456', kind: 'story', url: 'https://github.com/moe-lab/resroute/releases/tag/v0.1.0', title: 'Show HN: ResRoute', text: '' },
  { source: 'reddit', sourceId: '1hw0042', kind: 'post', url: 'https://arxiv.org/pdf/2501.04567v1', title: '[R] Residency-aware routing', text: '' },
  // A ring of four posts, each discussing the next: a cycle the traversal must not loop on.
  ...[0, 1, 2, 3].map((i) => ({ source: 'x', sourceId: `ring-${String(i)}`, kind: 'post' as const, url: `https://x.com/r/status/${String(i)}`, title: `ring ${String(i)}`, text: `see https://x.com/r/status/${String((i + 1) % 4)}` })),
];

describeOnDrivers('the graph API ($driver)', ({ open }) => {
  let app: App;
  let db: Db;
  const ids = new Map<string, string>();

  async function get(path: string): Promise<Response> {
    return app.request(`http://localhost${path}`);
  }
  async function json<T>(response: Response, status = 200): Promise<T> {
    expect(response.status, await response.clone().text()).toBe(status);
    return (await response.json()) as T;
  }
  const id = (sourceId: string): string => ids.get(sourceId) ?? '';

  beforeAll(async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    db = (await open()).db;
    const rows = SIGNALS.map((overrides, i) => makeSignal({ tags: [], ...overrides }, i));
    const { stored } = await upsertSignalsWithIds(db, rows);
    for (const key of stored) ids.set(key.sourceId, key.id);
    await linkSignals(db, rows.map((row) => ({ ...row, id: id(row.sourceId) })));
    setDb(db);
    app = createApp({ name: 'graph' });
    mountGraphApi(app);
  }, 60_000);

  afterAll(() => {
    vi.restoreAllMocks();
  });

  it("answers a paper's relationships both ways, with the other signal or the pending identifier", async () => {
    // Act
    const body = await json<RelatedJson>(await get(`/v1/signals/${id('2501.04567')}/related`));

    // Assess
    const view = body.items.map((item) => [item.direction, item.type, item.signal?.source ?? item.identifier, item.pending]);
    expect(view).toEqual([
      ['in', 'discusses', 'reddit', false],
      ['out', 'mentions', 'github', false],
      ['out', 'cites', 'arxiv:2401.04088', true],
      ['in', 'implements', 'github', false],
    ]);
    expect(body.items[0]?.evidence).toEqual({ identifier: 'arxiv:2501.04567', role: 'subject' });
    expect(z.safeParse(relatedRoute.responses[200].schema, body).success).toBe(true);
  });

  it('filters related edges by type', async () => {
    const body = await json<RelatedJson>(await get(`/v1/signals/${id('2501.04567')}/related?types=implements,cites`));
    expect(body.items.map((item) => item.type).sort()).toEqual(['cites', 'implements']);
  });

  it('answers the graph to depth 2: the story reaches the paper through the repository', async () => {
    // Act
    const body = await json<GraphJson>(await get(`/v1/signals/${id('42623456')}/graph?depth=2`));

    // Assess
    expect(body.nodes.map((node) => [node.source, node.depth])).toEqual([
      ['hackernews', 0],
      ['github', 1],
      ['arxiv', 2],
    ]);
    expect(body.truncated).toBe(false);
    expect(z.safeParse(graphRoute.responses[200].schema, body).success).toBe(true);
  });

  it('walks a cycle once: every ring node and edge, no repeats', async () => {
    const body = await json<GraphJson>(await get(`/v1/signals/${id('ring-0')}/graph?depth=3`));
    expect(body.nodes.map((node) => node.id).sort()).toEqual(['ring-0', 'ring-1', 'ring-2', 'ring-3'].map(id).sort());
    expect(body.edges).toHaveLength(4);
  });

  it('says when the node cap cut the graph', async () => {
    const body = await json<GraphJson>(await get(`/v1/signals/${id('ring-0')}/graph?depth=3&max_nodes=2`));
    expect(body.nodes).toHaveLength(2);
    expect(body.truncated).toBe(true);
  });

  it('keeps a same_as edge written by id in the graph', async () => {
    // Prepare: the near-duplicate detector's edge shape (to_identifier signal:<id>, target known).
    await insertEdges(db, [{ fromSignalId: id('ring-0'), toIdentifier: `signal:${id('1hw0042')}`, toSignalId: id('1hw0042'), type: 'same_as', confidence: 0.9, evidence: { similarity: 0.9 } }]);

    // Act
    const body = await json<GraphJson>(await get(`/v1/signals/${id('ring-0')}/graph?types=same_as`));

    // Assess
    expect(body.edges.map((edge) => [edge.from, edge.to, edge.type])).toEqual([[id('ring-0'), id('1hw0042'), 'same_as']]);
  });

  it('counts relationships by type and pending', async () => {
    // Act
    const body = await json<{ total: number; pending: number; by_type: Record<string, { total: number; pending: number }> }>(await get('/v1/relationships/stats'));

    // Assess
    expect(body.by_type.cites).toEqual({ total: 1, pending: 1 });
    expect(body.by_type.implements).toEqual({ total: 1, pending: 0 });
    expect(body.by_type.discusses?.total).toBe(2);
    expect(body.total).toBe(Object.values(body.by_type).reduce((sum, counts) => sum + counts.total, 0));
    expect(z.safeParse(relationshipStatsRoute.responses[200].schema, body).success).toBe(true);
  });

  it.each([
    ['depth=4', 'depth'],
    ['depth=0', 'depth'],
    ['types=cites,likes', 'types'],
    ['types=', 'types'],
    ['max_nodes=100000', 'max_nodes'],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    const body = await json<ErrorJson>(await get(`/v1/signals/${id('ring-0')}/graph?${query}`), 400);
    expect(body.error.details?.map((detail) => detail.field)).toEqual([field]);
  });

  it('answers 404 for a signal that does not exist, on both routes', async () => {
    await json<ErrorJson>(await get('/v1/signals/999999999/related'), 404);
    await json<ErrorJson>(await get('/v1/signals/999999999/graph'), 404);
  });

  it('publishes the three routes in the OpenAPI document', () => {
    const paths = Object.keys((openApiDocument() as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(expect.arrayContaining(['/v1/signals/{id}/related', '/v1/signals/{id}/graph', '/v1/relationships/stats']));
  });
});
