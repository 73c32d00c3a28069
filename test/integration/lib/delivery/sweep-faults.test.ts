// The sweep under faults, on both drivers, against real local receivers that verify signatures with
// the standardwebhooks library: a receiver down for three sweeps then back gets each item exactly
// once; two overlapping sweeps send nothing twice; a crash between sending and recording re-sends
// after the lease with the same webhook-id (the receivers' idempotency key) and nothing is lost;
// receivers that answer 500, hang, redirect or answer 10 MB are retried per the schedule without
// holding up the sweep or another endpoint, and are given up once the schedule is exhausted.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listDeliveries } from '../../../../lib/db/delivery-outbox-repo.js';
import { sql } from '../../../../lib/db/sql.js';
import type { Db, Queryable } from '../../../../lib/db/types.js';
import { LEASE_MARGIN_MS } from '../../../../lib/delivery/claim-outcomes.js';
import { sweepOutbox } from '../../../../lib/delivery/sweep.js';
import { MAX_ATTEMPTS } from '../../../../lib/delivery/webhooks/retry-schedule.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { testJobContext } from '../../../support/job-context.js';
import type { ReceiverMode, WebhookReceiver } from '../../../support/webhook-receiver.js';
import { hookedWatch, isolateOutbox, testSweepOptions, webhookReceivers } from '../../../support/webhook-watch.js';

describeOnDrivers('the delivery sweep under faults on $driver', ({ open }) => {
  let db: Db;
  const receivers = webhookReceivers();

  /** Time passes: this watch's pending deliveries (retries, leases) are due now. */
  async function due(watchId: string): Promise<void> {
    await db.query(sql`UPDATE delivery_outbox SET next_attempt_at = now() WHERE watch_id = ${watchId}::bigint AND status = 'pending'`);
  }

  function timesEach(hook: WebhookReceiver): number[] {
    const counts = new Map<string, number>();
    for (const { messageId } of hook.received) counts.set(messageId, (counts.get(messageId) ?? 0) + 1);
    return [...new Set(counts.values())];
  }

  beforeAll(async () => {
    ({ db } = await open());
  });
  afterAll(() => receivers.closeAll());

  it('delivers each item exactly once to a receiver that was down for three sweeps', async () => {
    // Prepare
    await isolateOutbox(db);
    const hook = await receivers.start();
    const watch = await hookedWatch(db, hook, { signals: 12 });
    await hook.down();

    // Act: three sweeps while it is down, each after the retry delay has passed; then it is back.
    const whileDown = [];
    for (let sweep = 0; sweep < 3; sweep++) {
      whileDown.push(await sweepOutbox(db, testJobContext(), testSweepOptions()));
      await due(watch.watchId);
    }
    await hook.up();
    const back = await sweepOutbox(db, testJobContext(), testSweepOptions());
    const after = await sweepOutbox(db, testJobContext(), testSweepOptions());

    // Assess
    expect(whileDown.map((r) => r.delivered)).toEqual([0, 0, 0]);
    expect(whileDown.every((r) => r.gaveUp === 0)).toBe(true);
    expect(back.delivered).toBe(12);
    expect(after.claimed).toBe(0);
    expect(hook.received).toHaveLength(12);
    expect(timesEach(hook)).toEqual([1]);
    expect(hook.badSignatures).toBe(0);
    const rows = await listDeliveries(db, watch.watchId, 100);
    expect(rows.every((d) => d.status === 'delivered')).toBe(true);
    // The untried ones were given back without counting an attempt: at most the sweeps' first tries count.
    expect(Math.max(...rows.map((d) => d.attempts))).toBeLessThanOrEqual(4);
  });

  it('sends nothing twice when two sweeps overlap', async () => {
    // Prepare: slow receivers, so the sweeps are in flight together.
    await isolateOutbox(db);
    const hooks = await Promise.all([1, 2, 3].map(() => receivers.start({ delayMs: 20 })));
    await Promise.all(hooks.map((hook) => hookedWatch(db, hook, { signals: 30 })));

    // Act (a generous request timeout: PGlite runs in this process, and its queries hold the event
    // loop, so a 1 s timer can fire before an answer that has already arrived is read)
    const options = testSweepOptions({ batchSize: 40, timeoutMs: 10_000 });
    const [a, b] = await Promise.all([sweepOutbox(db, testJobContext(), options), sweepOutbox(db, testJobContext(), options)]);
    const c = await sweepOutbox(db, testJobContext(), testSweepOptions());

    // Assess
    expect(a.enqueued + b.enqueued + c.enqueued).toBe(90);
    expect(a.delivered + b.delivered + c.delivered).toBe(90);
    expect(a.claimed > 0 && b.claimed > 0).toBe(true);
    expect(hooks.map((hook) => hook.received.length)).toEqual([30, 30, 30]);
    expect(hooks.flatMap(timesEach)).toEqual([1, 1, 1]);
  });

  it('re-sends after the lease, with the same webhook-id, what a sweep sent but died before recording', async () => {
    // Prepare: the sweep's connection dies at the first "delivered" write (after the requests went out).
    await isolateOutbox(db);
    const hook = await receivers.start();
    const watch = await hookedWatch(db, hook, { signals: 6 });
    const dying: Queryable = {
      query: async (statement) => {
        if (/SET status = 'delivered'/.test(statement.text)) throw new Error('connection terminated (the sweep crashed)');
        return db.query(statement);
      },
    };

    // Act
    await expect(sweepOutbox(dying, testJobContext({ remainingMs: () => 5_000 }), testSweepOptions())).rejects.toThrow(/crashed/);
    const leased = await listDeliveries(db, watch.watchId, 100);
    const during = await sweepOutbox(db, testJobContext(), testSweepOptions());
    await due(watch.watchId); // the lease (the run's remaining time plus LEASE_MARGIN_MS) has passed
    const afterLease = await sweepOutbox(db, testJobContext(), testSweepOptions());

    // Assess: sent twice, under one id each; deduplicated on webhook-id, each item arrived once.
    expect(LEASE_MARGIN_MS).toBeGreaterThan(0);
    expect(leased.every((d) => d.status === 'pending' && d.attempts === 1 && d.nextAttemptAt.getTime() > Date.now() + 30_000)).toBe(true);
    expect(during.claimed).toBe(0);
    expect(afterLease.delivered).toBe(6);
    expect(hook.received).toHaveLength(12);
    expect(timesEach(hook)).toEqual([2]);
    expect(new Set(hook.received.map((r) => r.messageId)).size).toBe(6);
    const rows = await listDeliveries(db, watch.watchId, 100);
    expect(rows.every((d) => d.status === 'delivered' && d.attempts === 2)).toBe(true);
  });

  it('retries receivers that answer 500, hang, redirect or send 10 MB, without holding up the sweep or the others', async () => {
    // Prepare: four misbehaving endpoints and one good one, five deliveries each.
    await isolateOutbox(db);
    const modes: ReceiverMode[] = ['error500', 'hang', 'redirect', 'huge'];
    const bad = await Promise.all(modes.map(async (mode) => {
      const hook = await receivers.start();
      hook.mode = mode;
      return { hook, watch: await hookedWatch(db, hook, { signals: 5 }) };
    }));
    const good = await receivers.start();
    await hookedWatch(db, good, { signals: 5 });
    const timeoutMs = 1_000;

    // Act
    const started = Date.now();
    const first = await sweepOutbox(db, testJobContext(), testSweepOptions({ timeoutMs }));
    const elapsed = Date.now() - started;

    // Assess: bounded by one request timeout, the good endpoint served in full, nothing lost.
    expect(elapsed).toBeLessThan(timeoutMs + 2_000);
    expect(good.received).toHaveLength(5);
    expect(first.delivered).toBe(5);
    expect(first.gaveUp).toBe(0);
    const errors: Record<string, RegExp> = {
      error500: /^HTTP 500$/,
      hang: /^timed out after 1000 ms$/,
      redirect: /^HTTP 302: redirects are not followed$/,
      huge: /^HTTP 500$/,
    };
    for (const [index, { watch }] of bad.entries()) {
      const rows = await listDeliveries(db, watch.watchId, 100);
      expect(rows).toHaveLength(5);
      expect(rows.every((d) => d.status === 'pending')).toBe(true);
      const tried = rows.filter((d) => d.attempts === 1);
      expect(tried.length).toBeGreaterThan(0);
      expect(tried.every((d) => errors[modes[index] ?? '']?.test(d.lastError ?? '') === true), `${String(modes[index])}: ${JSON.stringify(tried.map((d) => d.lastError))}`).toBe(true);
      // Due again after the schedule's first delay, 5 s ± 20 %.
      for (const d of tried) expect((d.nextAttemptAt.getTime() - Date.now()) / 1000).toBeLessThanOrEqual(6.1);
    }

    // Act again: they recover, the retry time comes.
    for (const { hook, watch } of bad) {
      hook.mode = 'ok';
      await due(watch.watchId);
    }
    const second = await sweepOutbox(db, testJobContext(), testSweepOptions({ timeoutMs }));

    // Assess: every item, once.
    expect(second.delivered).toBe(20);
    for (const { hook } of bad) {
      expect(hook.received).toHaveLength(5);
      expect(timesEach(hook)).toEqual([1]);
      expect(hook.badSignatures).toBe(0);
    }
  });

  it('gives a delivery up once the retry schedule is exhausted, and records why', async () => {
    await isolateOutbox(db);
    const hook = await receivers.start();
    hook.mode = 'error500';
    const watch = await hookedWatch(db, hook, { signals: 1 });
    await sweepOutbox(db, testJobContext(), testSweepOptions());
    await db.query(sql`UPDATE delivery_outbox SET attempts = ${MAX_ATTEMPTS - 1}, next_attempt_at = now() WHERE watch_id = ${watch.watchId}::bigint`);

    const result = await sweepOutbox(db, testJobContext(), testSweepOptions());

    expect(result.gaveUp).toBe(1);
    const [row] = await listDeliveries(db, watch.watchId, 1);
    expect(row).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, lastError: 'HTTP 500' });
    expect((await sweepOutbox(db, testJobContext(), testSweepOptions())).claimed).toBe(0);
  });
});
