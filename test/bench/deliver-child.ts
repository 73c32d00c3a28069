// Child process of deliver.ts: 10,000 pending deliveries (20 watches × 500, each watch its own
// endpoint on the parent's local receiver, all signing with the secret the parent gives) in the machine's Postgres through the real Neon driver,
// delivered one way per process (so each side's peak memory is its own):
// - `sweep`: the deliver job's sweep (lib/delivery/sweep.ts) with its default bounds: claims in
//   batches, lanes per endpoint with a few requests each, delivered rows recorded together;
// - `naive`: one at a time — claim one, read its endpoint and signal, sign, POST with fetch, record —
//   for the first NAIVE_ITEMS of the same 10,000 (its rate is flat; all of them take ~10 minutes here).
import { outbox } from '../../lib/db/delivery-outbox-repo.js';
import { signalJsonsById } from '../../lib/db/delivery-payloads-repo.js';
import { sql } from '../../lib/db/sql.js';
import type { Db } from '../../lib/db/types.js';
import { sendingEndpoints } from '../../lib/db/webhook-endpoints-repo.js';
import { loadConfig } from '../../lib/config.js';
import { sweepOptions } from '../../lib/delivery/deliver.js';
import { sweepOutbox } from '../../lib/delivery/sweep.js';
import { retryDelayMs } from '../../lib/delivery/webhooks/retry-schedule.js';
import { signalMatchedBody, webhookTarget } from '../../lib/delivery/webhooks/webhook-target.js';
import { testJobContext } from '../support/job-context.js';
import { seedSignals } from '../support/signal-factory.js';
import { hookedWatch, TEST_WEBHOOK_KEY } from '../support/webhook-watch.js';
import { reportToParent } from './child.js';
import { onPostgres } from './child-postgres.js';
import { measureMemory } from './child-memory.js';

export type DeliverMode = 'sweep' | 'naive';

export interface DeliverResult {
  mode: DeliverMode;
  items: number;
  delivered: number;
  ms: number;
  itemsPerSecond: number;
  /** Largest heap in use while delivering, sampled every 5 ms, MB. */
  peakHeapMb: number;
  startHeapMb: number;
  /** The process's peak resident set (getrusage), MB. */
  peakRssMb: number;
}

export const WATCHES = 20;
export const PER_WATCH = 500;
const ITEMS = WATCHES * PER_WATCH;
/** What the naive loop delivers of the ITEMS pending. */
export const NAIVE_ITEMS = 1_000;

async function prepare(db: Db, receiverUrl: string, secret: string): Promise<void> {
  await seedSignals(db, PER_WATCH);
  for (let watch = 0; watch < WATCHES; watch++) {
    const { watchId } = await hookedWatch(db, `${receiverUrl}/${String(watch)}`, { owner: 'bench', secret });
    await db.query(sql`
      INSERT INTO delivery_outbox (watch_id, signal_id, channel, message_id)
      SELECT ${watchId}::bigint, id, 'webhook', 'msg_' || replace(gen_random_uuid()::text, '-', '') FROM signals`);
  }
  await db.query(sql`ANALYZE delivery_outbox`);
}

async function sweep(db: Db): Promise<number> {
  // The job's own options (STAGE=local: the bench receiver is on 127.0.0.1), with a long run.
  const options = sweepOptions(loadConfig({ STAGE: 'local' }));
  const result = await sweepOutbox(db, testJobContext({ job: 'deliver', remainingMs: () => 600_000 }), options);
  return result.delivered;
}

async function naive(db: Db): Promise<number> {
  let delivered = 0;
  while (delivered < NAIVE_ITEMS) {
    const [delivery] = await outbox.claimDue(db, 1, 60_000);
    if (delivery === undefined) return delivered;
    const [endpoint] = await sendingEndpoints(db, [delivery.watchId]);
    const payloads = await signalJsonsById(db, [delivery.signalId]);
    const signalJson = payloads.get(delivery.signalId);
    if (endpoint === undefined || signalJson === undefined) throw new Error('the bench set-up lost an endpoint or a signal');
    const target = webhookTarget(endpoint, TEST_WEBHOOK_KEY);
    const body = signalMatchedBody({ id: endpoint.watchId, name: endpoint.watchName }, signalJson, delivery.createdAt);
    const response = await fetch(target.url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/json', ...target.headers({ body, messageId: delivery.messageId, now: new Date() }) },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    if (response.ok) {
      await outbox.markDelivered(db, [delivery.id]);
      delivered += 1;
    } else await outbox.markFailed(db, delivery.id, `HTTP ${String(response.status)}`, retryDelayMs(delivery.attempts));
  }
  return delivered;
}

const mode = process.argv[2] as DeliverMode;
const receiverUrl = process.argv[3] ?? '';
const secret = process.argv[4] ?? '';
if ((mode !== 'sweep' && mode !== 'naive') || !receiverUrl.startsWith('http://') || !secret.startsWith('whsec_')) {
  throw new Error('usage: deliver-child.ts sweep|naive <receiver url> <whsec_ secret>');
}
const result: DeliverResult = await onPostgres(async (db) => {
  await prepare(db, receiverUrl, secret);
  const measured = await measureMemory(() => (mode === 'sweep' ? sweep(db) : naive(db)));
  const { value: delivered, ...memory } = measured;
  const [row] = await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM delivery_outbox WHERE status = 'delivered'`);
  const expected = mode === 'sweep' ? ITEMS : NAIVE_ITEMS;
  if (delivered !== expected || row?.n !== expected) throw new Error(`${mode} delivered ${String(delivered)} (recorded ${String(row?.n)}), not ${String(expected)}`);
  return {
    mode,
    items: expected,
    delivered,
    ...memory,
    itemsPerSecond: (expected / memory.ms) * 1000,
  };
});
reportToParent(result);
