// The entities API and the admin merge-review queue through the apps (app.request, no server), on
// both drivers, over the recorded source pages ingested by the real pipeline: search by name with
// paging and a 400 for a huge `q`; one entity with aliases per source and signals; the queue
// (admin only), accepting a candidate, the merged entity's redirect, undoing the merge, 409s for
// decisions that no longer apply. Every 200 body matches the schema the OpenAPI document publishes.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { mountEntityMergesApi } from '../../../../lib/api/admin-entity-merges-api.js';
import { decideEntityMergeRoute, listEntityMergesRoute, undoEntityMergeRoute } from '../../../../lib/api/admin-entity-merges-routes.js';
import { mountEntitiesApi } from '../../../../lib/api/entities-api.js';
import { getEntityRoute, listEntitiesRoute, MAX_Q_CHARS } from '../../../../lib/api/entities-routes.js';
import { openApiDocument } from '../../../../lib/api/openapi-document.js';
import { setDb } from '../../../../lib/db/client.js';
import type { Db } from '../../../../lib/db/types.js';
import { createKeywordClassifier } from '../../../../lib/harvest/classify/index.js';
import { buildGraph } from '../../../../lib/graph/build.js';
import { ingestItems } from '../../../../lib/harvest/ingest.js';
import { createApp, type App } from '../../../../lib/http/app.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { testJobContext } from '../../../support/job-context.js';
import { recordedItems } from '../../../support/entity-fixtures.js';
import { MemoryKeyStore } from '../../../support/memory-key-store.js';
import { useSourceServer } from '../../../support/source-server.js';

const server = useSourceServer();

interface EntityJson {
  id: string;
  kind: string;
  name: string;
  merged_into: string | null;
  current_id: string;
  aliases: Record<string, Array<{ handle: string; origin_entity_id: string }>>;
  signals: Array<{ id: string; source: string; roles: string[] }>;
}
interface ListJson {
  items: Array<{ id: string; name: string; aliases: Array<{ source: string; handle: string }>; signal_count: number }>;
  next_cursor: string | null;
}
interface CandidateJson {
  id: string;
  entity: { id: string; name: string };
  into_entity: { id: string; name: string };
  status: string;
  decided_by: string | null;
  score: number;
}
interface ErrorJson {
  error: { code: string; details?: Array<{ field: string }> };
}

async function json<T>(response: Response, status = 200): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(status);
  return (await response.json()) as T;
}

describe('the OpenAPI document', () => {
  it('publishes the entity routes and the admin queue', () => {
    const paths = (openApiDocument() as { paths: Record<string, unknown> }).paths;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/v1/entities', '/v1/entities/{id}', '/v1/admin/entity-merges', '/v1/admin/entity-merges/{id}', '/v1/admin/entity-merges/{id}/undo']));
  });
});

describeOnDrivers('the entities API and the merge queue ($driver)', ({ open }) => {
  let db: Db;
  let entities: App;
  let admin: App;
  let adminKey: string;
  let userKey: string;

  const get = (app: App, path: string, key?: string): Promise<Response> =>
    Promise.resolve(app.request(`http://localhost${path}`, key === undefined ? {} : { headers: { 'x-api-key': key } }));
  const post = (path: string, body?: unknown, key = adminKey): Promise<Response> =>
    Promise.resolve(
      admin.request(`http://localhost${path}`, {
        method: 'POST',
        headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );

  beforeAll(async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    db = (await open()).db;
    const recorded = await recordedItems(server);
    const options = { classifier: createKeywordClassifier(), nowMs: Date.now() };
    // Each page a harvest, then the graph job's run after it (which resolves the entities).
    const harvest = async (items: Parameters<typeof ingestItems>[1]): Promise<void> => {
      await ingestItems(db, items, options);
      await buildGraph(db, testJobContext({ job: 'graph-build' }), { settleMs: 0 });
    };
    await harvest(recorded.github);
    await harvest(recorded.hackernews.map((item) => (item.sourceId === '42612345' ? { ...item, url: 'https://github.com/ferrisdev/tiny-infer/releases/tag/v0.2.0' } : item)));
    await harvest([...recorded.arxiv, ...recorded.x]);
    setDb(db);
    const keys = new MemoryKeyStore();
    adminKey = keys.add({ tier: 'admin' }).key;
    userKey = keys.add({ tier: 'api_key' }).key;
    entities = createApp({ name: 'entities', keys: () => keys });
    mountEntitiesApi(entities);
    admin = createApp({ name: 'admin', keys: () => keys });
    mountEntityMergesApi(admin);
    return () => vi.restoreAllMocks();
  }, 120_000);

  it('finds entities by any spelling of a name, and pages through them', async () => {
    for (const q of ['Ana Ribeiro', 'ana_ribeiro', 'anaribeiro', 'RIBEIRO']) {
      const body = await json<ListJson>(await get(entities, `/v1/entities?q=${encodeURIComponent(q)}`));
      expect(z.safeParse(listEntitiesRoute.responses[200].schema, body).success).toBe(true);
      expect(body.items.map((item) => item.aliases.map((alias) => `${alias.source}:${alias.handle}`)).sort()).toEqual([['arxiv:Ana Ribeiro'], ['x:ana_ribeiro']]);
    }
    const first = await json<ListJson>(await get(entities, '/v1/entities?limit=2&kind=person'));
    expect(first.items).toHaveLength(2);
    expect(first.next_cursor).not.toBeNull();
    const second = await json<ListJson>(await get(entities, `/v1/entities?limit=2&kind=person&cursor=${first.next_cursor ?? ''}`));
    expect(second.items.map((item) => item.id)).not.toContain(first.items[0]?.id);
    expect(Number(second.items[0]?.id)).toBeLessThan(Number(first.items[1]?.id));
  });

  it('answers a huge q, an unknown kind or a foreign cursor with a 400 naming the field', async () => {
    const huge = await json<ErrorJson>(await get(entities, `/v1/entities?q=${'a'.repeat(MAX_Q_CHARS + 1)}`), 400);
    expect(huge.error.details?.map((detail) => detail.field)).toEqual(['q']);
    const kind = await json<ErrorJson>(await get(entities, '/v1/entities?kind=robot'), 400);
    expect(kind.error.details?.map((detail) => detail.field)).toEqual(['kind']);
    const cursor = await json<ErrorJson>(await get(entities, '/v1/entities?cursor=bm9wZQ'), 400);
    expect(cursor.error.details?.map((detail) => detail.field)).toEqual(['cursor']);
    await json<ErrorJson>(await get(entities, '/v1/entities/abc'), 400);
    await json<ErrorJson>(await get(entities, '/v1/entities/999999999'), 404);
  });

  it('shows one entity with its aliases per source and the signals naming it', async () => {
    const [ferrisdev] = (await json<ListJson>(await get(entities, '/v1/entities?q=ferrisdev&kind=person'))).items;
    const body = await json<EntityJson>(await get(entities, `/v1/entities/${ferrisdev?.id ?? ''}`));
    expect(z.safeParse(getEntityRoute.responses[200].schema, body).success).toBe(true);
    expect(Object.keys(body.aliases).sort()).toEqual(['github', 'hackernews']);
    expect(body.signals.map((signal) => `${signal.source}:${signal.roles.join(',')}`).sort()).toEqual(['github:owner', 'hackernews:author']);
    expect(body).toMatchObject({ merged_into: null, current_id: body.id });
  });

  it('keeps the queue to admins', async () => {
    await json<ErrorJson>(await get(admin, '/v1/admin/entity-merges'), 401);
    await json<ErrorJson>(await get(admin, '/v1/admin/entity-merges', userKey), 403);
    await json<ErrorJson>(await post('/v1/admin/entity-merges/1', { decision: 'accept' }, userKey), 403);
    await json<ErrorJson>(await post('/v1/admin/entity-merges/1', { decision: 'maybe' }), 400);
  });

  it('accepts a candidate into one entity, redirects the merged one, and undoes the merge', async () => {
    const queue = await json<{ items: CandidateJson[] }>(await get(admin, '/v1/admin/entity-merges', adminKey));
    expect(z.safeParse(listEntityMergesRoute.responses[200].schema, queue).success).toBe(true);
    const ana = queue.items.find((item) => item.entity.name === 'Ana Ribeiro' || item.into_entity.name === 'Ana Ribeiro');
    expect(ana).toMatchObject({ status: 'pending', decided_by: null, score: 0.5 });
    const id = ana?.id ?? '';

    const accepted = await json<CandidateJson>(await post(`/v1/admin/entity-merges/${id}`, { decision: 'accept' }));
    expect(z.safeParse(decideEntityMergeRoute.responses[200].schema, accepted).success).toBe(true);
    expect(accepted).toMatchObject({ status: 'accepted', decided_by: 'admin' });
    const merged = await json<EntityJson>(await get(entities, `/v1/entities/${accepted.entity.id}`));
    expect(merged).toMatchObject({ merged_into: accepted.into_entity.id, current_id: accepted.into_entity.id, aliases: {}, signals: [] });
    const current = await json<EntityJson>(await get(entities, `/v1/entities/${accepted.into_entity.id}`));
    expect(Object.keys(current.aliases).sort()).toEqual(['arxiv', 'x']);
    expect(current.signals.map((signal) => signal.source).sort()).toEqual(['arxiv', 'x']);
    await json<ErrorJson>(await post(`/v1/admin/entity-merges/${id}`, { decision: 'reject' }), 409);

    const undone = await json<CandidateJson>(await post(`/v1/admin/entity-merges/${id}/undo`));
    expect(z.safeParse(undoEntityMergeRoute.responses[200].schema, undone).success).toBe(true);
    expect(undone.status).toBe('undone');
    const back = await json<EntityJson>(await get(entities, `/v1/entities/${accepted.entity.id}`));
    expect(back.merged_into).toBeNull();
    expect(back.signals).toHaveLength(1);
    expect(Object.keys((await json<EntityJson>(await get(entities, `/v1/entities/${accepted.into_entity.id}`))).aliases)).toHaveLength(1);
    await json<ErrorJson>(await post(`/v1/admin/entity-merges/${id}/undo`), 409);
    await json<ErrorJson>(await post('/v1/admin/entity-merges/999999999/undo'), 404);
  });

  it('undoes an automatic merge, and rejects a candidate', async () => {
    const accepted = await json<{ items: CandidateJson[] }>(await get(admin, '/v1/admin/entity-merges?status=accepted', adminKey));
    const auto = accepted.items.find((item) => item.decided_by === 'auto');
    expect(auto).toBeDefined();
    await json<CandidateJson>(await post(`/v1/admin/entity-merges/${auto?.id ?? ''}/undo`));
    const hn = await json<EntityJson>(await get(entities, `/v1/entities/${auto?.entity.id ?? ''}`));
    expect(Object.keys(hn.aliases)).toEqual(['hackernews']);

    const pending = await json<{ items: CandidateJson[] }>(await get(admin, '/v1/admin/entity-merges?status=pending', adminKey));
    const some = pending.items[0];
    const rejected = await json<CandidateJson>(await post(`/v1/admin/entity-merges/${some?.id ?? ''}`, { decision: 'reject' }));
    expect(rejected).toMatchObject({ status: 'rejected', decided_by: 'admin' });
  });
});
