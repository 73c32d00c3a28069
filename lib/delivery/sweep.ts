// The deliver job's work, one sweep of the outbox (lib/jobs/catalog/deliver.ts runs it every minute):
//  1. enqueue: for each watch set up for per-item delivery, the signals harvested since its cursor
//     that match its filter (the feeds' filter: watch-filter.ts) go into the outbox, bounded per watch
//     and per run (lib/db/delivery-cursors-repo.ts);
//  2. claim: up to a batch of due deliveries, each leased for the rest of this run plus a margin
//     (FOR UPDATE SKIP LOCKED: overlapping sweeps never share a row);
//  3. send: deliveries grouped into lanes by target (one per endpoint), lanes run with bounded
//     concurrency, each with its own time budget and a few requests at a time; a lane whose
//     endpoint looks down (timeout, connect error, 5xx, 429) stops and gives the rest back for
//     later, so one slow or failing endpoint costs the others nothing;
//  4. record: 2xx → delivered; otherwise failed with the retry schedule's delay (retry-schedule.ts)
//     or given up when it is exhausted; what was not tried is released without counting an attempt.
// At least once: a sweep that dies after sending and before recording leaves its rows leased; when
// the lease ends they are claimed and sent again with the same webhook-id, which receivers use to
// deduplicate. Channels plug in through DeliveryChannelSpec (the webhook one is ./webhooks/channel.ts).
import { setMaxListeners } from 'node:events';
import type { Delivery, DeliveryChannel } from '../model/delivery.js';
import type { JobContext } from '../model/job-context.js';
import { dueCursorWatches, enqueueMatching } from '../db/delivery-cursors-repo.js';
import { outbox, outboxDepth } from '../db/delivery-outbox-repo.js';
import { signalJsonsById } from '../db/delivery-payloads-repo.js';
import type { Queryable } from '../db/types.js';
import { errorText } from '../log/error-text.js';
import { deliveryAttemptDuration, deliveryLatency, deliveryOutboxDepth, deliveryOutboxOldestAge } from '../metrics/delivery-metrics.js';
import { count, eachLimit, giveUp, recordFailure, runLeaseMs, type RetryDelay, type Tally } from './claim-outcomes.js';
import { toSignalFilter } from './watch-filter.js';
import { createSendAgents, send, type SendAgents, type SendTarget } from './webhooks/send.js';

/** Where one watch's deliveries on a channel go, and what each one carries. */
export interface ChannelEndpoint {
  target: SendTarget;
  /** The request body of one delivery; `signalJson` is the signal's API JSON text. */
  body(delivery: Delivery, signalJson: string): string;
}

/** A delivery channel as the sweep sees it. */
export interface DeliveryChannelSpec {
  channel: DeliveryChannel;
  /**
   * Endpoints for these watches, by watch id. A watch absent from the map no longer has this
   * channel set up: its deliveries are given up. Throwing fails only this channel's deliveries (retried).
   */
  resolve(db: Queryable, watchIds: readonly string[]): Promise<Map<string, ChannelEndpoint>>;
  /** Whether the sweep enqueues new matching signals for this channel itself (per-item delivery). */
  enqueuesPerItem: boolean;
}

export interface SweepOptions {
  channels: readonly DeliveryChannelSpec[];
  /** Deliveries claimed per sweep. */
  batchSize: number;
  /** Lanes (endpoints) sending at once. */
  concurrency: number;
  /** Requests in flight per lane. */
  perEndpointConcurrency: number;
  /** Time one lane may take, ms. */
  endpointBudgetMs: number;
  /** Budget of one request, ms. */
  timeoutMs: number;
  /** Refuse non-public addresses at connect. */
  publicOnly: boolean;
  enqueuePerWatch: number;
  enqueueWatches: number;
  /** Delay after n failed attempts, or undefined = give up. Default: the Standard Webhooks schedule. */
  retryDelay?: RetryDelay;
}

/** What one sweep did; its tally's `deferred` were claimed but not tried (budget or endpoint down). */
export interface SweepResult extends Tally {
  enqueued: number;
  claimed: number;
  lanes: number;
  depth: number;
  oldestAgeSeconds: number;
}

/** Delivered rows recorded together (the crash window re-sends at most this many per lane, plus those in flight). */
const RECORD_BATCH = 50;

type SweepRun = Pick<JobContext, 'signal' | 'shouldStop' | 'remainingMs' | 'log'>;

interface Lane {
  channel: DeliveryChannel;
  endpoint: ChannelEndpoint;
  deliveries: Delivery[];
}

/** Step 1: new matching signals into the outbox, for every per-item channel. */
async function enqueueStep(db: Queryable, run: SweepRun, options: SweepOptions): Promise<number> {
  let enqueued = 0;
  for (const spec of options.channels.filter((channel) => channel.enqueuesPerItem)) {
    const watches = await dueCursorWatches(db, spec.channel, options.enqueueWatches);
    for (const watch of watches) {
      if (run.shouldStop()) return enqueued;
      const result = await enqueueMatching(db, spec.channel, watch, toSignalFilter(watch.filter), options.enqueuePerWatch);
      enqueued += result.enqueued;
    }
  }
  return enqueued;
}

/** Step 3 for one endpoint: its deliveries, a few at a time, within its budget. */
async function runLane(db: Queryable, run: SweepRun, lane: Lane, payloads: Map<string, string>, agents: SendAgents, options: SweepOptions, tally: Tally): Promise<void> {
  const deadline = Date.now() + Math.min(options.endpointBudgetMs, Math.max(0, run.remainingMs()));
  const queue = [...lane.deliveries];
  const done: Delivery[] = [];
  /** Set when the lane stops early: the delay the untried deliveries are released with. */
  let stopDelayMs: number | undefined;

  const flush = async (): Promise<void> => {
    const batch = done.splice(0);
    await outbox.markDelivered(db, batch.map((delivery) => delivery.id));
    const now = Date.now();
    for (const delivery of batch) deliveryLatency.observe({ channel: lane.channel }, Math.max(0, now - new Date(delivery.createdAt).getTime()) / 1000);
    count(tally, lane.channel, 'delivered', batch.length);
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      if (stopDelayMs !== undefined) return;
      const left = deadline - Date.now();
      if (run.shouldStop() || left <= 0) {
        stopDelayMs = 0;
        return;
      }
      const delivery = queue.shift();
      if (delivery === undefined) return;
      const signalJson = payloads.get(delivery.signalId);
      // Deleted since it was claimed (its row cascades away): nothing to send.
      if (signalJson === undefined) continue;
      const result = await send(lane.endpoint.target, lane.endpoint.body(delivery, signalJson), delivery.messageId, {
        agents,
        timeoutMs: Math.min(options.timeoutMs, left),
        publicOnly: options.publicOnly,
        signal: run.signal,
      });
      deliveryAttemptDuration.observe({ channel: lane.channel }, result.durationMs / 1000);
      if (result.ok) {
        done.push(delivery);
        if (done.length >= RECORD_BATCH) await flush();
        continue;
      }
      const delay = await recordFailure(db, outbox, delivery, result.error, tally, options.retryDelay);
      if (result.endpointDown) stopDelayMs ??= delay ?? 0;
    }
  };

  try {
    await Promise.all(Array.from({ length: Math.min(options.perEndpointConcurrency, queue.length) }, worker));
  } finally {
    await flush();
    const untried = queue.map((delivery) => delivery.id);
    const released = await outbox.release(db, untried, stopDelayMs ?? 0);
    count(tally, lane.channel, 'deferred', released);
  }
}

/** Steps 2–4: claim, resolve endpoints and payloads, send by lane. */
async function sendStep(db: Queryable, run: SweepRun, options: SweepOptions, tally: Tally): Promise<{ claimed: number; lanes: number }> {
  const claimed = await outbox.claimDue(db, options.batchSize, runLeaseMs(run));
  if (claimed.length === 0) return { claimed: 0, lanes: 0 };
  const payloads = await signalJsonsById(db, claimed.map((delivery) => delivery.signalId));

  const lanes = new Map<string, Lane>();
  for (const spec of options.channels) {
    const mine = claimed.filter((delivery) => delivery.channel === spec.channel);
    if (mine.length === 0) continue;
    let endpoints: Map<string, ChannelEndpoint>;
    try {
      endpoints = await spec.resolve(db, [...new Set(mine.map((delivery) => delivery.watchId))]);
    } catch (error) {
      run.log.error('delivery endpoints could not be resolved', { channel: spec.channel, error: errorText(error) });
      for (const delivery of mine) await recordFailure(db, outbox, delivery, 'endpoint could not be prepared', tally, options.retryDelay);
      continue;
    }
    for (const delivery of mine) {
      const endpoint = endpoints.get(delivery.watchId);
      if (endpoint === undefined) {
        await giveUp(db, outbox, delivery, 'no endpoint set up for this channel', tally);
        continue;
      }
      const lane = lanes.get(endpoint.target.key) ?? { channel: spec.channel, endpoint, deliveries: [] };
      lane.deliveries.push(delivery);
      lanes.set(endpoint.target.key, lane);
    }
  }
  // A channel this sweep does not know (added by a later version): leave its rows to that version.
  const known = new Set(options.channels.map((spec) => spec.channel));
  await outbox.release(db, claimed.filter((delivery) => !known.has(delivery.channel)).map((delivery) => delivery.id), 0);

  const agents = createSendAgents(options.perEndpointConcurrency);
  // One listener on the run's signal, however many requests listen to this one.
  const abort = new AbortController();
  setMaxListeners(options.concurrency * options.perEndpointConcurrency + 10, abort.signal);
  const onAbort = (): void => abort.abort(run.signal.reason);
  run.signal.addEventListener('abort', onAbort, { once: true });
  const sweepRun = { ...run, signal: abort.signal };
  try {
    await eachLimit([...lanes.values()], options.concurrency, (lane) => runLane(db, sweepRun, lane, payloads, agents, options, tally));
  } finally {
    run.signal.removeEventListener('abort', onAbort);
    agents.destroy();
  }
  return { claimed: claimed.length, lanes: lanes.size };
}

/** One sweep: enqueue, then claim-send-record batches until nothing is due or the run must stop. */
export async function sweepOutbox(db: Queryable, run: SweepRun, options: SweepOptions): Promise<SweepResult> {
  const tally: Tally = { delivered: 0, retrying: 0, gaveUp: 0, deferred: 0 };
  const enqueued = await enqueueStep(db, run, options);
  let claimed = 0;
  let lanes = 0;
  while (!run.shouldStop()) {
    const deferredBefore = tally.deferred;
    const batch = await sendStep(db, run, options, tally);
    claimed += batch.claimed;
    lanes = Math.max(lanes, batch.lanes);
    // A short batch means nothing else is due; a full one, that more may be — unless some were
    // given back (a lane out of budget or down), which the next claim would only take again.
    if (batch.claimed < options.batchSize || tally.deferred > deferredBefore) break;
  }
  const depth = await outboxDepth(db);
  deliveryOutboxDepth.set(depth.pending);
  deliveryOutboxOldestAge.set(depth.oldestAgeSeconds);
  return { enqueued, claimed, ...tally, lanes, depth: depth.pending, oldestAgeSeconds: depth.oldestAgeSeconds };
}
