// The digest job's work on both drivers, against real local receivers: a webhook receiver that
// verifies every signature with the standardwebhooks library, and a Slack stand-in (node:http)
// that records the Block Kit messages. A period's digest carries its top N new items by score, is
// built and sent once however many runs overlap, is resent byte for byte under the same webhook-id
// when the receiver failed, and no later digest repeats an item.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from '../../../../../lib/db/sql.js';
import type { Db } from '../../../../../lib/db/types.js';
import { updateWatchDelivery } from '../../../../../lib/db/watch-delivery-repo.js';
import { digestSignalIds, listDigests } from '../../../../../lib/db/watch-digests-repo.js';
import { upsertSignals } from '../../../../../lib/db/signals-upsert.js';
import { runDigests, type DigestOptions } from '../../../../../lib/delivery/digests/run-digests.js';
import { describeOnDrivers } from '../../../../support/describe-on-drivers.js';
import { testJobContext } from '../../../../support/job-context.js';
import { makeSignal } from '../../../../support/signal-factory.js';
import { startSlackReceiver, type SlackReceiver } from '../../../../support/slack-receiver.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../../support/webhook-receiver.js';
import { hookedWatch, setWatchSlack, TEST_WEBHOOK_KEY, type HookedWatch } from '../../../../support/webhook-watch.js';

/** A Thursday morning: the daily period due is (Wed 00:00, Thu 00:00]. */
const NOW = new Date('2026-12-03T09:00:00Z');
const IN_PERIOD = new Date('2026-12-02T12:00:00Z');
const NEXT_NOW = new Date('2026-12-04T09:00:00Z');
const IN_NEXT_PERIOD = new Date('2026-12-03T12:00:00Z');
const PUBLISHED = new Date('2026-12-01T00:00:00Z');

let seq = 5_000_000;

/** Signals carrying `tag`, harvested at `fetchedAt`, with these saliences; returns their ids by salience. */
async function signals(db: Db, tag: string, fetchedAt: Date, saliences: number[], title = (s: number) => `Item ${String(s)}`): Promise<void> {
  const rows = saliences.map((salience) =>
    makeSignal({ tags: [tag], status: 'active', fetchedAt, publishedAt: PUBLISHED, kind: 'story', source: 'hackernews', salience, discoveryScore: null, title: title(salience) }, seq++),
  );
  await upsertSignals(db, rows);
}

describeOnDrivers('the digest job on $driver', ({ open }) => {
  let db: Db;
  let hook: WebhookReceiver;
  let slack: SlackReceiver;

  const options = (overrides: Partial<DigestOptions> = {}): DigestOptions => ({
    key: TEST_WEBHOOK_KEY,
    watchesPerPage: 2,
    batchSize: 100,
    concurrency: 4,
    timeoutMs: 1_000,
    publicOnly: false,
    now: () => NOW,
    ...overrides,
  });

  /** Parks other tests' digests and watches, so a run sees only this test's. */
  async function isolate(): Promise<void> {
    await db.query(sql`UPDATE watches SET delivery_mode = 'item'`);
    await db.query(sql`UPDATE watch_digests SET next_attempt_at = now() + interval '30 days' WHERE status = 'pending'`);
  }

  async function digestWatch(size: number): Promise<HookedWatch> {
    const watch = await hookedWatch(db, hook);
    await updateWatchDelivery(db, { owner: undefined }, watch.watchId, { mode: 'daily', digestSize: size });
    return watch;
  }

  beforeAll(async () => {
    ({ db } = await open());
    hook = await startWebhookReceiver([]);
    slack = await startSlackReceiver();
  });
  afterAll(async () => {
    await hook.close();
    await slack.close();
  });

  it('sends one signed digest of the top N new items by score, and nothing more on later runs', async () => {
    // Prepare
    await isolate();
    const watch = await digestWatch(3);
    await signals(db, watch.tag, IN_PERIOD, [40, 90, 10, 70, 55]);
    await signals(db, watch.tag, new Date('2026-12-01T12:00:00Z'), [99]); // harvested before the period
    await signals(db, 'someone-else', IN_PERIOD, [95]);
    const before = hook.received.length;

    // Act
    const first = await runDigests(db, testJobContext(), options());
    const second = await runDigests(db, testJobContext(), options());

    // Assess
    expect(first).toMatchObject({ built: 1, empty: 0, claimed: 1, delivered: 1, retrying: 0, gaveUp: 0 });
    expect(second).toMatchObject({ built: 0, claimed: 0, delivered: 0 });
    expect(hook.badSignatures).toBe(0);
    const got = hook.received.slice(before);
    expect(got).toHaveLength(1);
    const body = got[0]?.body as unknown as { type: string; data: { watch: { id: string }; period: string; period_start: string; period_end: string; signals: { title: string; salience: number }[] } };
    expect(body.type).toBe('watch.digest');
    expect(body.data.watch.id).toBe(watch.watchId);
    expect(body.data.period).toBe('daily');
    expect(body.data.period_start).toBe('2026-12-02T00:00:00.000Z');
    expect(body.data.period_end).toBe('2026-12-03T00:00:00.000Z');
    expect(body.data.signals.map((s) => s.title)).toEqual(['Item 90', 'Item 70', 'Item 55']);
    const [digest] = await listDigests(db, watch.watchId, 10);
    expect(digest).toMatchObject({ status: 'delivered', attempts: 1, items: 3, channel: 'webhook', messageId: got[0]?.messageId });
  });

  it('never repeats an item in a later digest, and closes a period with nothing new without sending', async () => {
    // Prepare: yesterday's digest took the top 2 of 3
    await isolate();
    const watch = await digestWatch(2);
    await signals(db, watch.tag, IN_PERIOD, [80, 60, 20]);
    await runDigests(db, testJobContext(), options());
    const [first] = await listDigests(db, watch.watchId, 10);
    // One of them harvested again into today's period (a re-fetch moving fetched_at), beside a new one
    await db.query(sql`UPDATE signals SET fetched_at = ${IN_NEXT_PERIOD.toISOString()}::timestamptz WHERE ${watch.tag} = ANY(tags) AND salience = 80`);
    await signals(db, watch.tag, IN_NEXT_PERIOD, [30]);
    const before = hook.received.length;

    // Act
    const next = await runDigests(db, testJobContext(), options({ now: () => NEXT_NOW }));
    const dayAfter = await runDigests(db, testJobContext(), options({ now: () => new Date('2026-12-05T09:00:00Z') }));

    // Assess
    expect(next).toMatchObject({ built: 1, delivered: 1 });
    const got = hook.received.slice(before);
    const titles = (got[0]?.body as unknown as { data: { signals: { title: string }[] } }).data.signals.map((s) => s.title);
    expect(titles).toEqual(['Item 30']);
    expect(dayAfter).toMatchObject({ built: 0, empty: 1, claimed: 0 });
    expect(hook.received.length - before).toBe(1);
    const digests = await listDigests(db, watch.watchId, 10);
    expect(digests.map((d) => d.status)).toEqual(['empty', 'delivered', 'delivered']);
    const firstIds = await digestSignalIds(db, first?.id ?? '');
    const secondIds = await digestSignalIds(db, digests[1]?.id ?? '');
    expect(firstIds).toHaveLength(2);
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);
  });

  it('resends the same body under the same webhook-id after a failure, and delivers it once', async () => {
    // Prepare
    await isolate();
    const watch = await digestWatch(5);
    await signals(db, watch.tag, IN_PERIOD, [50, 51]);
    const before = hook.received.length;
    hook.mode = 'error500';

    // Act: down for three runs, then back
    const failed = [];
    for (let i = 0; i < 3; i += 1) failed.push(await runDigests(db, testJobContext(), options({ retryDelay: () => 0 })));
    const [pending] = await listDigests(db, watch.watchId, 10);
    hook.mode = 'ok';
    const back = await runDigests(db, testJobContext(), options({ retryDelay: () => 0 }));
    const after = await runDigests(db, testJobContext(), options({ retryDelay: () => 0 }));

    // Assess
    expect(failed.map((r) => r.retrying)).toEqual([1, 1, 1]);
    expect(failed[0]?.built).toBe(1);
    expect(pending).toMatchObject({ status: 'pending', attempts: 3, lastError: 'HTTP 500' });
    expect(back).toMatchObject({ built: 0, delivered: 1 });
    expect(after).toMatchObject({ claimed: 0, delivered: 0 });
    const got = hook.received.slice(before);
    expect(got).toHaveLength(1);
    expect(got[0]?.messageId).toBe(pending?.messageId);
    expect(JSON.stringify(got[0]?.body)).toBe(JSON.stringify(JSON.parse(pending?.body ?? '')));
    const [digest] = await listDigests(db, watch.watchId, 10);
    expect(digest).toMatchObject({ status: 'delivered', attempts: 4, lastError: null });
  });

  it('builds and sends a period once when runs overlap', async () => {
    // Prepare
    await isolate();
    const watch = await digestWatch(3);
    await signals(db, watch.tag, IN_PERIOD, [11, 22, 33, 44]);
    const before = hook.received.length;

    // Act
    const results = await Promise.all([1, 2, 3].map(() => runDigests(db, testJobContext(), options())));

    // Assess
    expect(results.reduce((n, r) => n + r.built, 0)).toBe(1);
    expect(results.reduce((n, r) => n + r.delivered, 0)).toBe(1);
    expect(hook.received.length - before).toBe(1);
    expect(await listDigests(db, watch.watchId, 10)).toHaveLength(1);
  });

  it("sends a digest to the watch's own Slack webhook as Block Kit, escaped, beside its webhook", async () => {
    // Prepare
    await isolate();
    const watch = await digestWatch(2);
    await setWatchSlack(db, watch.watchId, slack.url);
    await signals(db, watch.tag, IN_PERIOD, [77, 66, 5], (s) => (s === 77 ? '<!channel> Tom & Jerry' : `Item ${String(s)}`));
    const beforeHook = hook.received.length;
    const beforeSlack = slack.messages.length;

    // Act
    const result = await runDigests(db, testJobContext(), options());

    // Assess
    expect(result).toMatchObject({ built: 2, delivered: 2 });
    expect(hook.received.length - beforeHook).toBe(1);
    const messages = slack.messages.slice(beforeSlack);
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message?.blocks).toHaveLength(3);
    expect(message?.blocks[0]?.type).toBe('header');
    expect(message?.blocks[1]?.text.text).toContain('&lt;!channel&gt; Tom &amp; Jerry');
    expect(JSON.stringify(message)).not.toContain('<!channel>');
    const channels = (await listDigests(db, watch.watchId, 10)).map((d) => d.channel).sort();
    expect(channels).toEqual(['slack', 'webhook']);
  });

  it('gives up a digest whose channel was removed before it could be sent', async () => {
    // Prepare
    await isolate();
    const watch = await digestWatch(2);
    await signals(db, watch.tag, IN_PERIOD, [12]);
    hook.mode = 'error500';
    await runDigests(db, testJobContext(), options({ retryDelay: () => 0 }));
    hook.mode = 'ok';
    await db.query(sql`DELETE FROM webhook_endpoints WHERE watch_id = ${watch.watchId}::bigint`);

    // Act
    const result = await runDigests(db, testJobContext(), options());

    // Assess
    expect(result).toMatchObject({ claimed: 1, gaveUp: 1, delivered: 0 });
    const [digest] = await listDigests(db, watch.watchId, 10);
    expect(digest).toMatchObject({ status: 'failed', lastError: 'no webhook set up for this watch' });
  });
});
