// The deliver job's sweep on both drivers, against real local receivers that verify every
// signature with the standardwebhooks library: new matching signals are enqueued from the watch's
// cursor and delivered once, signed with the endpoint's secret (and the previous one during a
// rotation); non-matching and older signals are not; one endpoint failing costs the others nothing.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listDeliveries } from '../../../../lib/db/delivery-outbox-repo.js';
import { sql } from '../../../../lib/db/sql.js';
import type { Db } from '../../../../lib/db/types.js';
import { rotateWebhookSecret } from '../../../../lib/db/webhook-endpoints-repo.js';
import { sweepOutbox } from '../../../../lib/delivery/sweep.js';
import { sealSecret, secretPrefix } from '../../../../lib/delivery/webhooks/secret-box.js';
import { generateWebhookSecret } from '../../../../lib/delivery/webhooks/sign.js';
import {
  deliveriesTotal,
  deliveryAttemptDuration,
  deliveryLatency,
  deliveryOutboxDepth,
  deliveryOutboxOldestAge,
} from '../../../../lib/metrics/delivery-metrics.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { observationsOf, valueOf } from '../../../support/metric-values.js';
import { testJobContext } from '../../../support/job-context.js';
import { hookedWatch, isolateOutbox, matchingSignals, TEST_WEBHOOK_KEY, testSweepOptions, webhookReceivers } from '../../../support/webhook-watch.js';

describeOnDrivers('the delivery sweep on $driver', ({ open }) => {
  let db: Db;
  const receivers = webhookReceivers();

  beforeAll(async () => {
    ({ db } = await open());
  });
  afterAll(() => receivers.closeAll());

  it('delivers each new matching signal once, signed, with the watch and the signal in the body', async () => {
    // Prepare
    await isolateOutbox(db);
    const hook = await receivers.start();
    const watch = await hookedWatch(db, hook, { signals: 7 });
    await matchingSignals(db, 'someone-else', 3);

    // Act
    const first = await sweepOutbox(db, testJobContext(), testSweepOptions());
    const second = await sweepOutbox(db, testJobContext(), testSweepOptions());

    // Assess
    expect(first).toMatchObject({ enqueued: 7, claimed: 7, delivered: 7, retrying: 0, gaveUp: 0, deferred: 0, depth: 0 });
    expect(second).toMatchObject({ enqueued: 0, claimed: 0, delivered: 0 });
    expect(hook.badSignatures).toBe(0);
    expect(hook.received).toHaveLength(7);
    expect(new Set(hook.received.map((r) => r.messageId)).size).toBe(7);
    const [one] = hook.received;
    expect(one?.body.type).toBe('signal.matched');
    expect(one?.body.data.watch.id).toBe(watch.watchId);
    expect(one?.body.data.signal.title).toEqual(expect.any(String));
    const listed = await listDeliveries(db, watch.watchId, 100);
    expect(listed.every((d) => d.status === 'delivered' && d.attempts === 1 && d.lastError === null)).toBe(true);
    expect(listed.map((d) => d.messageId).sort()).toEqual(hook.received.map((r) => r.messageId).sort());
  });

  it('does not deliver signals harvested before the endpoint was set', async () => {
    await isolateOutbox(db);
    const hook = await receivers.start();
    const watch = await hookedWatch(db, hook);
    // Matching, but harvested a minute before the endpoint existed (within the enqueue overlap).
    await matchingSignals(db, watch.tag, 4);
    await db.query(sql`UPDATE signals SET fetched_at = now() - interval '1 minute' WHERE tags @> ${[watch.tag]}::text[]`);
    await matchingSignals(db, watch.tag, 2);

    const result = await sweepOutbox(db, testJobContext(), testSweepOptions());

    expect(result).toMatchObject({ enqueued: 2, delivered: 2 });
    expect(hook.received).toHaveLength(2);
  });

  it('signs with both secrets while a rotation overlaps, so a receiver holding either verifies', async () => {
    await isolateOutbox(db);
    const hook = await receivers.start();
    const watch = await hookedWatch(db, hook.url);
    const next = generateWebhookSecret();
    await rotateWebhookSecret(db, { owner: undefined }, watch.watchId, { sealed: sealSecret(TEST_WEBHOOK_KEY, watch.watchId, next), prefix: secretPrefix(next) }, 60_000);
    hook.secrets.push(watch.secret); // the receiver has not switched yet
    await matchingSignals(db, watch.tag, 2);

    await sweepOutbox(db, testJobContext(), testSweepOptions());
    hook.secrets.splice(0, hook.secrets.length, next); // it switches
    await matchingSignals(db, watch.tag, 2);
    await sweepOutbox(db, testJobContext(), testSweepOptions());

    expect(hook.badSignatures).toBe(0);
    expect(hook.received).toHaveLength(4);
  });

  it('keeps a failing endpoint from delaying the others, and retries it per the schedule', async () => {
    // Prepare: one endpoint answers 500, three others accept.
    await isolateOutbox(db);
    const failing = await receivers.start();
    failing.mode = 'error500';
    const bad = await hookedWatch(db, failing.url);
    const good = await Promise.all([1, 2, 3].map(async () => {
      const hook = await receivers.start();
      await hookedWatch(db, hook, { signals: 5 });
      return hook;
    }));
    await matchingSignals(db, bad.tag, 5);

    // Act
    const started = Date.now();
    const result = await sweepOutbox(db, testJobContext(), testSweepOptions());

    // Assess: the others got everything; the failing one was tried once, the rest given back untried.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(good.map((hook) => hook.received.length)).toEqual([5, 5, 5]);
    expect(failing.requests).toBeLessThanOrEqual(4);
    expect(result.delivered).toBe(15);
    const failed = await listDeliveries(db, bad.watchId, 100);
    expect(failed.every((d) => d.status === 'pending')).toBe(true);
    const tried = failed.filter((d) => d.attempts === 1);
    expect(tried.length).toBe(failing.requests);
    expect(tried.every((d) => d.lastError === 'HTTP 500')).toBe(true);
    // Retried after 5 s ± 20 % (the first delay of the schedule), and so are the untried ones.
    const [{ lo, hi } = { lo: 0, hi: 0 }] = await db.query<{ lo: number; hi: number }>(sql`
      SELECT min(extract(epoch FROM next_attempt_at - now()))::float8 AS lo, max(extract(epoch FROM next_attempt_at - now()))::float8 AS hi
      FROM delivery_outbox WHERE watch_id = ${bad.watchId}::bigint`);
    expect(lo).toBeGreaterThan(2);
    expect(hi).toBeLessThanOrEqual(6.1);
  });

  it('counts attempts by result, times them, and sets the outbox depth and oldest age', async () => {
    // Prepare: one endpoint accepts 3, another fails its first and gives the rest back.
    await isolateOutbox(db);
    const hook = await receivers.start();
    await hookedWatch(db, hook, { signals: 3 });
    const failing = await receivers.start();
    failing.mode = 'error500';
    await hookedWatch(db, failing.url, { signals: 2 });
    const before = {
      delivered: await valueOf(deliveriesTotal, { channel: 'webhook', result: 'delivered' }),
      retrying: await valueOf(deliveriesTotal, { channel: 'webhook', result: 'retrying' }),
      attempts: await observationsOf(deliveryAttemptDuration, { channel: 'webhook' }),
      latency: await observationsOf(deliveryLatency, { channel: 'webhook' }),
    };

    // Act
    const result = await sweepOutbox(db, testJobContext(), testSweepOptions({ perEndpointConcurrency: 1 }));

    // Assess
    expect(await valueOf(deliveriesTotal, { channel: 'webhook', result: 'delivered' })).toBe(before.delivered + 3);
    expect(await valueOf(deliveriesTotal, { channel: 'webhook', result: 'retrying' })).toBe(before.retrying + 1);
    expect(await observationsOf(deliveryAttemptDuration, { channel: 'webhook' })).toBe(before.attempts + 4);
    expect(await observationsOf(deliveryLatency, { channel: 'webhook' })).toBe(before.latency + 3);
    // The parked rows of earlier tests are pending too: the gauges count the whole outbox.
    expect(await valueOf(deliveryOutboxDepth)).toBe(result.depth);
    expect(result.depth).toBeGreaterThanOrEqual(2);
    expect(await valueOf(deliveryOutboxOldestAge)).toBeGreaterThan(0);
  });
});
