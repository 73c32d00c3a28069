// The delivery outbox on both drivers: each (watch, signal, channel) is queued once however often
// it is enqueued; overlapping claims never share a row; a claimed row is not due again until its
// lease ends (the crash-between-send-and-record window) or its retry time; delivered is recorded
// once; a given-up delivery stays failed; the depth counts what is pending.
import { beforeAll, expect, it } from 'vitest';
import { enqueueDeliveries, listDeliveries, outbox, outboxDepth, type NewDelivery } from '../../../../lib/db/delivery-outbox-repo.js';
import { MAX_ERROR_LENGTH } from '../../../../lib/db/leased-queue.js';
import { sql } from '../../../../lib/db/sql.js';
import type { Db } from '../../../../lib/db/types.js';
import { newMessageId } from '../../../../lib/delivery/webhooks/sign.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { seedSignals } from '../../../support/signal-factory.js';
import { isolateOutbox, newWatch } from '../../../support/webhook-watch.js';

const HOUR = 3_600_000;

describeOnDrivers('the delivery outbox on $driver', ({ open }) => {
  let db: Db;
  let signalIds: string[];

  /** A watch of its own per test (and the others' rows parked: isolateOutbox), so tests never claim each other's rows. */
  async function watchOfTest(): Promise<string> {
    await isolateOutbox(db);
    return (await newWatch(db, { owner: 'outbox' })).id;
  }

  function deliveries(watchId: string, count: number): NewDelivery[] {
    return signalIds.slice(0, count).map((signalId) => ({ watchId, signalId, channel: 'webhook', messageId: newMessageId() }));
  }

  beforeAll(async () => {
    ({ db } = await open());
    await seedSignals(db, 30);
    signalIds = (await db.query<{ id: string }>(sql`SELECT id::text AS id FROM signals ORDER BY id`)).map((row) => row.id);
  });

  it('queues each (watch, signal, channel) once, however often it is enqueued', async () => {
    const watchId = await watchOfTest();

    const first = await enqueueDeliveries(db, deliveries(watchId, 5));
    const again = await enqueueDeliveries(db, deliveries(watchId, 8));

    expect([first, again]).toEqual([5, 3]);
    const listed = await listDeliveries(db, watchId, 100);
    expect(listed).toHaveLength(8);
    expect(listed.every((delivery) => delivery.status === 'pending' && delivery.attempts === 0)).toBe(true);
  });

  it('never gives the same row to two overlapping claims, nor to the next one while leased', async () => {
    // Prepare
    const watchId = await watchOfTest();
    await enqueueDeliveries(db, deliveries(watchId, 20));

    // Act: four sweeps at once, then one more.
    const claims = await Promise.all([1, 2, 3, 4].map(() => outbox.claimDue(db, 8, HOUR)));
    const later = await outbox.claimDue(db, 8, HOUR);

    // Assess
    const ids = claims.flat().map((delivery) => delivery.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(20);
    expect(later).toHaveLength(0);
    expect(claims.flat().every((delivery) => delivery.attempts === 1)).toBe(true);
  });

  it('brings a claimed row back when its lease ends without an outcome (a sweep that died after sending)', async () => {
    const watchId = await watchOfTest();
    await enqueueDeliveries(db, deliveries(watchId, 2));
    const [claimed] = await outbox.claimDue(db, 10, 50);

    await new Promise((resolve) => setTimeout(resolve, 120));
    const reclaimed = await outbox.claimDue(db, 10, HOUR);

    expect(reclaimed.map((delivery) => delivery.messageId)).toContain(claimed?.messageId);
    expect(reclaimed.find((delivery) => delivery.id === claimed?.id)?.attempts).toBe(2);
  });

  it('records a delivery once; a late second outcome for it changes nothing', async () => {
    const watchId = await watchOfTest();
    await enqueueDeliveries(db, deliveries(watchId, 1));
    const [claimed] = await outbox.claimDue(db, 10, HOUR);
    const id = claimed?.id ?? '';

    expect(await outbox.markDelivered(db, [id])).toBe(1);
    expect(await outbox.markDelivered(db, [id])).toBe(0);
    expect(await outbox.markFailed(db, id, 'late failure', 1000)).toBe(false);
    const [row] = await listDeliveries(db, watchId, 1);
    expect(row).toMatchObject({ status: 'delivered', lastError: null, attempts: 1 });
    expect(row?.deliveredAt).toBeInstanceOf(Date);
  });

  it('retries a failure after its delay, and keeps a given-up delivery failed with its last error', async () => {
    const watchId = await watchOfTest();
    await enqueueDeliveries(db, deliveries(watchId, 1));
    const [claimed] = await outbox.claimDue(db, 10, HOUR);
    const id = claimed?.id ?? '';

    await outbox.markFailed(db, id, 'HTTP 500', 0);
    const [retried] = await outbox.claimDue(db, 10, HOUR);
    await outbox.markFailed(db, id, `timeout ${'x'.repeat(2 * MAX_ERROR_LENGTH)}`, undefined);

    expect(retried).toMatchObject({ id, attempts: 2, lastError: 'HTTP 500' });
    const [row] = await listDeliveries(db, watchId, 1);
    expect(row?.status).toBe('failed');
    expect(row?.lastError).toHaveLength(MAX_ERROR_LENGTH);
    expect(await outbox.claimDue(db, 10, HOUR)).toHaveLength(0);
  });

  it('counts what is pending and how old the oldest is', async () => {
    const watchId = await watchOfTest();
    await enqueueDeliveries(db, deliveries(watchId, 3));

    const depth = await outboxDepth(db);

    expect(depth.pending).toBeGreaterThanOrEqual(3);
    expect(depth.oldestAgeSeconds).toBeGreaterThanOrEqual(0);
  });
});
