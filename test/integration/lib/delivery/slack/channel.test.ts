// Slack per watch through the deliver job's sweep on both drivers, against a Slack stand-in
// (node:http): a watch delivering item by item gets one escaped Block Kit message per new matching
// signal, once; a watch in digest mode gets none item by item; removing the Slack webhook stops it
// and gives up what was still pending. The run-level Slack notify is another path, untouched.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueueDeliveries, listDeliveries } from '../../../../../lib/db/delivery-outbox-repo.js';
import { sql } from '../../../../../lib/db/sql.js';
import type { Db } from '../../../../../lib/db/types.js';
import { updateWatchDelivery } from '../../../../../lib/db/watch-delivery-repo.js';
import { slackChannel } from '../../../../../lib/delivery/slack/channel.js';
import { sweepOutbox } from '../../../../../lib/delivery/sweep.js';
import { webhookChannel } from '../../../../../lib/delivery/webhooks/channel.js';
import { newMessageId } from '../../../../../lib/delivery/webhooks/sign.js';
import { describeOnDrivers } from '../../../../support/describe-on-drivers.js';
import { testJobContext } from '../../../../support/job-context.js';
import { seedSignals } from '../../../../support/signal-factory.js';
import { startSlackReceiver, type SlackReceiver } from '../../../../support/slack-receiver.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../../support/webhook-receiver.js';
import { hookedWatch, isolateOutbox, matchingSignals, newWatch, setWatchSlack, TEST_WEBHOOK_KEY, testSweepOptions } from '../../../../support/webhook-watch.js';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const channels = [webhookChannel(TEST_WEBHOOK_KEY), slackChannel(TEST_WEBHOOK_KEY)];

describeOnDrivers('Slack per watch on $driver', ({ open }) => {
  let db: Db;
  let slack: SlackReceiver;
  let hook: WebhookReceiver;

  async function slackWatch(tag: string): Promise<string> {
    const { id } = await newWatch(db, { owner: 'slackers', name: 'Rust & <friends>', filter: { tag: [tag] } });
    await setWatchSlack(db, id, slack.url);
    return id;
  }

  beforeAll(async () => {
    ({ db } = await open());
    slack = await startSlackReceiver();
    hook = await startWebhookReceiver([]);
  });
  afterAll(async () => {
    await slack.close();
    await hook.close();
  });

  it('posts one escaped message per new matching signal, once', async () => {
    // Prepare
    await isolateOutbox(db);
    const tag = 'slack-items';
    const watchId = await slackWatch(tag);
    await seedSignals(db, 3, { start: 7_000_000, overrides: { tags: [tag], status: 'active', fetchedAt: new Date(Date.now() + 1000), title: '<!channel> & friends' } });
    const before = slack.messages.length;

    // Act
    const first = await sweepOutbox(db, testJobContext(), testSweepOptions({ channels }));
    const second = await sweepOutbox(db, testJobContext(), testSweepOptions({ channels }));

    // Assess
    expect(first).toMatchObject({ enqueued: 3, delivered: 3, retrying: 0, gaveUp: 0 });
    expect(second).toMatchObject({ enqueued: 0, delivered: 0 });
    const messages = slack.messages.slice(before);
    expect(messages).toHaveLength(3);
    expect(messages[0]?.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Rust & <friends>: new signal' } });
    expect(messages[0]?.blocks[1]?.text.text).toContain('&lt;!channel&gt; &amp; friends');
    expect(JSON.stringify(messages)).not.toContain('<!channel>');
    expect((await listDeliveries(db, watchId, 10)).every((d) => d.channel === 'slack' && d.status === 'delivered')).toBe(true);
  });

  it('delivers nothing item by item to a watch in digest mode', async () => {
    // Prepare
    await isolateOutbox(db);
    const watch = await hookedWatch(db, hook);
    await updateWatchDelivery(db, { owner: undefined }, watch.watchId, { mode: 'weekly' });
    await matchingSignals(db, watch.tag, 4);

    // Act
    const result = await sweepOutbox(db, testJobContext(), testSweepOptions({ channels }));

    // Assess
    expect(result).toMatchObject({ enqueued: 0, claimed: 0 });
    expect(await listDeliveries(db, watch.watchId, 10)).toEqual([]);
  });

  it('starts item by item from now when a watch leaves digest mode, not from the backlog', async () => {
    // Prepare
    await isolateOutbox(db);
    const watch = await hookedWatch(db, hook);
    await updateWatchDelivery(db, { owner: undefined }, watch.watchId, { mode: 'daily' });
    await pause(20);
    // The backlog: harvested while the watch was in digest mode, after its endpoint was set up.
    await seedSignals(db, 2, { start: 7_300_000, overrides: { tags: [watch.tag], status: 'active', fetchedAt: new Date() } });
    await pause(20);

    // Act
    await updateWatchDelivery(db, { owner: undefined }, watch.watchId, { mode: 'item' });
    await matchingSignals(db, watch.tag, 1);
    const result = await sweepOutbox(db, testJobContext(), testSweepOptions({ channels }));

    // Assess: only the signal harvested after the switch (its fetched_at is a second ahead of now)
    expect(result).toMatchObject({ enqueued: 1, delivered: 1 });
  });

  it('stops and gives up pending messages when the Slack webhook is removed', async () => {
    // Prepare
    await isolateOutbox(db);
    const tag = 'slack-removed';
    const watchId = await slackWatch(tag);
    // One message still pending (due in an hour) when the webhook is removed.
    const { rows } = await seedSignals(db, 1, { start: 7_100_000, overrides: { tags: [tag], status: 'active', fetchedAt: new Date(Date.now() - 60_000) } });
    const [signal] = await db.query<{ id: string }>(sql`SELECT id::text AS id FROM signals WHERE source = ${rows[0]?.source ?? ''} AND source_id = ${rows[0]?.sourceId ?? ''}`);
    await enqueueDeliveries(db, [{ watchId, signalId: signal?.id ?? '', channel: 'slack', messageId: newMessageId() }]);
    await db.query(sql`UPDATE delivery_outbox SET next_attempt_at = now() + interval '1 hour' WHERE watch_id = ${watchId}::bigint`);

    // Act
    const delivery = await updateWatchDelivery(db, { owner: 'slackers' }, watchId, { slack: null });
    await seedSignals(db, 1, { start: 7_200_000, overrides: { tags: [tag], status: 'active', fetchedAt: new Date(Date.now() + 1000) } });
    const after = await sweepOutbox(db, testJobContext(), testSweepOptions({ channels }));

    // Assess
    expect(delivery?.slackHint).toBeNull();
    expect(after.enqueued).toBe(0);
    expect(await listDeliveries(db, watchId, 10)).toMatchObject([{ status: 'failed', lastError: 'Slack webhook removed' }]);
  });
});
