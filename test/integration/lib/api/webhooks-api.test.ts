// A watch's webhook through the watches app (app.request, no server) with the real Postgres key
// store on both drivers: the secret is shown once and stored sealed, GET shows its prefix only,
// rotation keeps the previous secret for the overlap, the owner alone (and admins) may touch it,
// the delivery history pages, and bad input — http://, private and metadata addresses outside the
// local stage, unknown fields — is a 400 that stores nothing.
import { afterEach, expect, it } from 'vitest';
import { openApiDocument } from '../../../../lib/api/openapi-document.js';
import { resetConfig } from '../../../../lib/config.js';
import { enqueueDeliveries } from '../../../../lib/db/delivery-outbox-repo.js';
import { sql } from '../../../../lib/db/sql.js';
import { newMessageId } from '../../../../lib/delivery/webhooks/sign.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { useWatchesApp } from '../../../support/watches-app.js';
import { seedSignals } from '../../../support/signal-factory.js';

interface EndpointJson {
  watch_id: string;
  url: string;
  secret?: string;
  secret_prefix: string;
  previous_secret_expires_at: string | null;
}

interface ErrorJson {
  error: { code: string; message: string; details?: Array<{ field: string; message: string }> };
}


describeOnDrivers('the webhook routes on $driver', ({ open }) => {
  const api = useWatchesApp(open);
  const { keys, call, json, newWatch } = api;
  const savedEnv = { STAGE: process.env.STAGE, WEBHOOK_SECRET_KEY: process.env.WEBHOOK_SECRET_KEY };

  async function endpointCount(): Promise<number> {
    const [row] = await api.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM webhook_endpoints`);
    return row?.n ?? -1;
  }

  /** Outside the local stage (the SSRF rule applies), with a real key for the sealed secrets. */
  function deployedStage(): void {
    process.env.STAGE = 'prod';
    process.env.WEBHOOK_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');
    resetConfig();
  }

  afterEach(() => {
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetConfig();
  });

  it('sets an endpoint, showing its whsec_ secret once and storing it sealed', async () => {
    const id = await newWatch(keys.alice);

    const put = await json<EndpointJson>(await call('PUT', `/v1/watches/${id}/webhook`, keys.alice, { url: 'http://127.0.0.1:9/hook#frag' }), 200);
    const got = await json<EndpointJson>(await call('GET', `/v1/watches/${id}/webhook`, keys.alice), 200);

    expect(put.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(put).toMatchObject({ watch_id: id, url: 'http://127.0.0.1:9/hook', previous_secret_expires_at: null });
    expect(put.secret?.startsWith(put.secret_prefix)).toBe(true);
    expect(got).not.toHaveProperty('secret');
    expect(got.secret_prefix).toBe(put.secret_prefix);
    const stored = await api.db.query<{ c: string }>(sql`SELECT secret_ciphertext AS c FROM webhook_endpoints WHERE watch_id = ${id}::bigint`);
    expect(stored[0]?.c).toMatch(/^v1:/);
    expect(stored[0]?.c).not.toContain(put.secret?.slice(6, 20) ?? 'x');
  });

  it('rotates: a new secret once, the previous one signing until the overlap ends', async () => {
    const id = await newWatch(keys.alice);
    const first = await json<EndpointJson>(await call('PUT', `/v1/watches/${id}/webhook`, keys.alice, { url: 'http://127.0.0.1:9/' }), 200);

    const rotated = await json<EndpointJson>(await call('POST', `/v1/watches/${id}/webhook/rotate`, keys.alice), 200);

    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(first.secret);
    const overlapEnds = Date.parse(rotated.previous_secret_expires_at ?? '');
    expect(overlapEnds - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    expect(overlapEnds - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
  });

  it("keeps another key out of a watch's webhook and deliveries, and lets an admin in", async () => {
    const id = await newWatch(keys.alice);
    await json(await call('PUT', `/v1/watches/${id}/webhook`, keys.alice, { url: 'http://127.0.0.1:9/' }), 200);

    const statuses = await Promise.all([
      call('GET', `/v1/watches/${id}/webhook`, keys.bob),
      call('PUT', `/v1/watches/${id}/webhook`, keys.bob, { url: 'http://127.0.0.1:9/bob' }),
      call('POST', `/v1/watches/${id}/webhook/rotate`, keys.bob),
      call('DELETE', `/v1/watches/${id}/webhook`, keys.bob),
      call('GET', `/v1/watches/${id}/deliveries`, keys.bob),
      call('GET', `/v1/watches/${id}/webhook`, undefined),
      call('GET', `/v1/watches/${id}/webhook`, keys.admin),
    ]).then((responses) => responses.map((r) => r.status));

    expect(statuses).toEqual([404, 404, 404, 404, 404, 401, 200]);
    const [row] = await api.db.query<{ url: string }>(sql`SELECT url FROM webhook_endpoints WHERE watch_id = ${id}::bigint`);
    expect(row?.url).toBe('http://127.0.0.1:9/');
  });

  it('removes an endpoint, giving up what was still pending for it', async () => {
    const id = await newWatch(keys.alice);
    await json(await call('PUT', `/v1/watches/${id}/webhook`, keys.alice, { url: 'http://127.0.0.1:9/' }), 200);
    await seedSignals(api.db, 2, { start: 50_000 });
    const signals = await api.db.query<{ id: string }>(sql`SELECT id::text AS id FROM signals ORDER BY id LIMIT 2`);
    await enqueueDeliveries(api.db, signals.map((s) => ({ watchId: id, signalId: s.id, channel: 'webhook' as const, messageId: newMessageId() })));

    expect((await call('DELETE', `/v1/watches/${id}/webhook`, keys.alice)).status).toBe(204);
    expect((await call('GET', `/v1/watches/${id}/webhook`, keys.alice)).status).toBe(404);
    expect((await call('DELETE', `/v1/watches/${id}/webhook`, keys.alice)).status).toBe(404);

    const page = await json<{ items: Array<{ status: string; last_error: string }> }>(await call('GET', `/v1/watches/${id}/deliveries`, keys.alice), 200);
    expect(page.items.map((d) => [d.status, d.last_error])).toEqual([['failed', 'endpoint removed'], ['failed', 'endpoint removed']]);
  });

  it('pages the delivery history newest first with next_cursor', async () => {
    const id = await newWatch(keys.alice);
    await seedSignals(api.db, 5, { start: 60_000 });
    const signals = await api.db.query<{ id: string }>(sql`SELECT id::text AS id FROM signals ORDER BY id DESC LIMIT 5`);
    await enqueueDeliveries(api.db, signals.map((s) => ({ watchId: id, signalId: s.id, channel: 'webhook' as const, messageId: newMessageId() })));

    const first = await json<{ items: Array<{ id: string; status: string; attempts: number; next_attempt_at: string }>; next_cursor: string | null }>(
      await call('GET', `/v1/watches/${id}/deliveries?limit=3`, keys.alice),
      200,
    );
    const second = await json<{ items: Array<{ id: string }>; next_cursor: string | null }>(await call('GET', `/v1/watches/${id}/deliveries?limit=3&cursor=${first.next_cursor ?? ''}`, keys.alice), 200);

    expect(first.items).toHaveLength(3);
    expect(first.items[0]).toMatchObject({ status: 'pending', attempts: 0, next_attempt_at: expect.any(String) as unknown });
    expect(second.items).toHaveLength(2);
    expect(second.next_cursor).toBeNull();
    const ids = [...first.items, ...second.items].map((d) => BigInt(d.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? 1 : -1)));
    expect((await call('GET', `/v1/watches/${id}/deliveries?cursor=abc`, keys.alice)).status).toBe(400);
  });

  it.each([
    ['http://api.example.com/hook', 'https://'],
    ['https://127.0.0.1/hook', 'non-public'],
    ['https://localhost/hook', 'non-public'],
    ['https://10.1.2.3/', 'non-public'],
    ['https://172.16.0.1/', 'non-public'],
    ['https://192.168.1.1/', 'non-public'],
    ['https://100.64.0.1/', 'non-public'],
    ['https://169.254.169.254/latest/meta-data/', 'non-public'],
    ['https://[::1]/', 'non-public'],
    ['https://[fd00:ec2::254]/', 'non-public'],
    ['https://[fe80::1]/', 'non-public'],
    ['https://[::ffff:127.0.0.1]/', 'non-public'],
    ['https://[::ffff:169.254.169.254]/', 'non-public'],
    ['https://0.0.0.0/', 'non-public'],
    ['https://user:pw@93.184.215.14/', 'credentials'],
    ['not a url', 'absolute URL'],
  ])('refuses %s outside the local stage, storing nothing', async (url, reason) => {
    deployedStage();
    const id = await newWatch(keys.alice);
    const before = await endpointCount();

    const body = await json<ErrorJson>(await call('PUT', `/v1/watches/${id}/webhook`, keys.alice, { url }), 400);

    expect(body.error.details?.[0]?.field).toBe('url');
    expect(body.error.message).toContain(reason);
    expect(await endpointCount()).toBe(before);
  });

  it('accepts a public https address outside the local stage', async () => {
    deployedStage();
    const id = await newWatch(keys.alice);

    const put = await json<EndpointJson>(await call('PUT', `/v1/watches/${id}/webhook`, keys.alice, { url: 'https://93.184.215.14/hooks/signal' }), 200);

    expect(put.url).toBe('https://93.184.215.14/hooks/signal');
  });

  it('refuses unknown fields and a missing url with a 400 naming them', async () => {
    const id = await newWatch(keys.alice);
    const before = await endpointCount();

    const unknown = await json<ErrorJson>(await call('PUT', `/v1/watches/${id}/webhook`, keys.alice, { url: 'http://127.0.0.1:9/', secret: 'whsec_mine' }), 400);
    const missing = await json<ErrorJson>(await call('PUT', `/v1/watches/${id}/webhook`, keys.alice, {}), 400);

    expect(JSON.stringify(unknown.error.details)).toContain('secret');
    expect(JSON.stringify(missing.error.details)).toContain('url');
    expect(await endpointCount()).toBe(before);
  });

  it('documents the routes in the OpenAPI document', () => {
    const document = openApiDocument() as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(document.paths['/v1/watches/{id}/webhook']?.put?.operationId).toBe('putWatchWebhook');
    expect(document.paths['/v1/watches/{id}/webhook']?.get?.operationId).toBe('getWatchWebhook');
    expect(document.paths['/v1/watches/{id}/webhook']?.delete?.operationId).toBe('deleteWatchWebhook');
    expect(document.paths['/v1/watches/{id}/webhook/rotate']?.post?.operationId).toBe('rotateWatchWebhookSecret');
    expect(document.paths['/v1/watches/{id}/deliveries']?.get?.operationId).toBe('listWatchDeliveries');
  });
});
