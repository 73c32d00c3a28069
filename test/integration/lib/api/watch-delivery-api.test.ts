// A watch's delivery settings and digests through the watches app (app.request, no server) with the
// real Postgres key store on both drivers: modes and digest size, a Slack webhook stored sealed and
// shown only as a hint (never echoed, not even in an error), the owner alone (and admins) may touch
// them, the digests list, and bad input — unknown fields, a non-Slack or http:// URL, a size out of
// range, an empty patch — is a 400 that stores nothing.
import { expect, it } from 'vitest';
import { openApiDocument } from '../../../../lib/api/openapi-document.js';
import { sql } from '../../../../lib/db/sql.js';
import { buildDigest } from '../../../../lib/db/watch-digests-repo.js';
import { openSlackUrl } from '../../../../lib/delivery/slack/slack-url.js';
import { newMessageId } from '../../../../lib/delivery/webhooks/sign.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { useWatchesApp } from '../../../support/watches-app.js';
import { TEST_WEBHOOK_KEY } from '../../../support/webhook-watch.js';

interface DeliveryJson {
  watch_id: string;
  mode: string;
  digest_size: number;
  slack_url_hint: string | null;
}

interface ErrorJson {
  error: { code: string; message: string; details?: Array<{ field: string; message: string }> };
}

const SLACK_URL = 'https://hooks.slack.com/services/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ok';

describeOnDrivers('the delivery routes on $driver', ({ open }) => {
  const api = useWatchesApp(open);
  const { keys, call, json, newWatch } = api;

  async function slackRows(): Promise<number> {
    const [row] = await api.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM watch_slack`);
    return row?.n ?? -1;
  }

  it('delivers item by item until told otherwise, and takes a digest mode and size', async () => {
    // Prepare
    const id = await newWatch(keys.alice);

    // Act
    const initial = await json<DeliveryJson>(await call('GET', `/v1/watches/${id}/delivery`, keys.alice), 200);
    const daily = await json<DeliveryJson>(await call('PATCH', `/v1/watches/${id}/delivery`, keys.alice, { mode: 'daily', digest_size: 5 }), 200);
    const weekly = await json<DeliveryJson>(await call('PATCH', `/v1/watches/${id}/delivery`, keys.alice, { mode: 'weekly' }), 200);

    // Assess
    expect(initial).toEqual({ watch_id: id, mode: 'item', digest_size: 10, slack_url_hint: null });
    expect(daily).toEqual({ watch_id: id, mode: 'daily', digest_size: 5, slack_url_hint: null });
    expect(weekly).toEqual({ watch_id: id, mode: 'weekly', digest_size: 5, slack_url_hint: null });
  });

  it('stores a Slack webhook sealed, shows only a hint of it, and removes it', async () => {
    // Prepare
    const id = await newWatch(keys.alice);

    // Act
    const set = await call('PATCH', `/v1/watches/${id}/delivery`, keys.alice, { slack_url: SLACK_URL });
    const setText = await set.clone().text();
    const read = await call('GET', `/v1/watches/${id}/delivery`, keys.alice);
    const readText = await read.clone().text();
    const [stored] = await api.db.query<{ sealed: string }>(sql`SELECT url_sealed AS sealed FROM watch_slack WHERE watch_id = ${id}::bigint`);
    const removed = await json<DeliveryJson>(await call('PATCH', `/v1/watches/${id}/delivery`, keys.alice, { slack_url: null }), 200);

    // Assess
    expect((await json<DeliveryJson>(set, 200)).slack_url_hint).toBe('hooks.slack.com/services/T0…/…hook');
    for (const text of [setText, readText]) {
      expect(text).not.toContain('verysecret');
      expect(text).not.toContain('B0SECRET2');
    }
    expect(stored?.sealed).toMatch(/^v1:/);
    expect(stored?.sealed).not.toContain('verysecret');
    expect(openSlackUrl(TEST_WEBHOOK_KEY, id, stored?.sealed ?? '')).toBe(SLACK_URL);
    expect(removed.slack_url_hint).toBeNull();
  });

  it.each([
    [{ slack_url: 'http://hooks.slack.com/services/T0SECRET1/B0SECRET2/verysecretpart' }, 'slack_url', 'must be an https:// URL'],
    [{ slack_url: 'https://evil.example/services/T0SECRET1/B0SECRET2/verysecretpart' }, 'slack_url', 'must be a Slack incoming webhook on hooks.slack.com'],
    [{ slack_url: 'https://169.254.169.254/latest/meta-data/iam' }, 'slack_url', 'must be a Slack incoming webhook on hooks.slack.com'],
    [{ digest_size: 50 }, 'digest_size', undefined],
    [{ digest_size: 0 }, 'digest_size', undefined],
    [{ mode: 'hourly' }, 'mode', undefined],
    [{ mode: 'daily', channel: 'email' }, '', undefined],
    [{}, '', 'must set mode, digest_size or slack_url'],
  ])('refuses %j with a 400 that names the field and stores nothing', async (body, field, message) => {
    // Prepare
    const id = await newWatch(keys.alice);
    const slackBefore = await slackRows();

    // Act
    const response = await call('PATCH', `/v1/watches/${id}/delivery`, keys.alice, body);
    const text = await response.clone().text();
    const error = await json<ErrorJson>(response, 400);

    // Assess
    expect(error.error.code).toBe('validation_failed');
    if (field !== '') expect(error.error.details?.map((d) => d.field)).toContain(field);
    if (message !== undefined) expect(error.error.details?.map((d) => d.message)).toContain(message);
    expect(text).not.toContain('verysecret');
    expect(await slackRows()).toBe(slackBefore);
    expect((await json<DeliveryJson>(await call('GET', `/v1/watches/${id}/delivery`, keys.alice), 200)).mode).toBe('item');
  });

  it("lets neither another key nor the anonymous touch a watch's delivery, and lets an admin", async () => {
    // Prepare
    const id = await newWatch(keys.alice);

    // Act
    const bobGet = await call('GET', `/v1/watches/${id}/delivery`, keys.bob);
    const bobPatch = await call('PATCH', `/v1/watches/${id}/delivery`, keys.bob, { mode: 'daily' });
    const bobDigests = await call('GET', `/v1/watches/${id}/digests`, keys.bob);
    const anonymous = await call('GET', `/v1/watches/${id}/delivery`, undefined);
    const admin = await call('PATCH', `/v1/watches/${id}/delivery`, keys.admin, { mode: 'weekly' });

    // Assess
    expect([bobGet.status, bobPatch.status, bobDigests.status]).toEqual([404, 404, 404]);
    expect(anonymous.status).toBe(401);
    expect((await json<DeliveryJson>(admin, 200)).mode).toBe('weekly');
    expect((await json<DeliveryJson>(await call('GET', `/v1/watches/${id}/delivery`, keys.alice), 200)).mode).toBe('weekly');
  });

  it("lists the watch's digests, newest period first, with status and attempts", async () => {
    // Prepare
    const id = await newWatch(keys.alice);
    await call('PATCH', `/v1/watches/${id}/delivery`, keys.alice, { mode: 'daily' });
    const watch = { id, period: 'daily' as const, digestSize: 3 };
    for (const end of ['2026-12-02T00:00:00Z', '2026-12-03T00:00:00Z']) {
      const window = { start: new Date(new Date(end).getTime() - 86_400_000), end: new Date(end) };
      await buildDigest(api.db, { watch, filter: { q: 'nothing-matches-this' }, channel: 'slack', ...window }, () => ({ body: '{}', messageId: newMessageId() }));
    }

    // Act
    const page = await json<{ items: Array<Record<string, unknown>> }>(await call('GET', `/v1/watches/${id}/digests?limit=10`, keys.alice), 200);

    // Assess
    expect(page.items.map((d) => d.period_end)).toEqual(['2026-12-03T00:00:00.000Z', '2026-12-02T00:00:00.000Z']);
    expect(page.items[0]).toMatchObject({ channel: 'slack', period: 'daily', items: 0, status: 'empty', attempts: 0, next_attempt_at: null, last_error: null });
  });

  it('documents the routes in the OpenAPI document', () => {
    const document = openApiDocument() as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(document.paths['/v1/watches/{id}/delivery']?.patch?.operationId).toBe('updateWatchDelivery');
    expect(document.paths['/v1/watches/{id}/delivery']?.get?.operationId).toBe('getWatchDelivery');
    expect(document.paths['/v1/watches/{id}/digests']?.get?.operationId).toBe('listWatchDigests');
  });
});
