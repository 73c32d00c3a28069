// The digest job's work (lib/jobs/catalog/digest.ts runs it every 15 minutes):
//  1. build: for each watch in digest mode and each channel it has set up (its webhook endpoint,
//     its Slack webhook), the period due now (period.ts), if not built yet: its top new items, the
//     body made once and stored, the items recorded (lib/db/watch-digests-repo.ts buildDigest). A
//     period's digest exists at most once (unique key), and no signal is in two digests of a
//     (watch, channel) (primary key): overlapping runs build nothing twice.
//  2. send: claim due digests (FOR UPDATE SKIP LOCKED, leased), POST each stored body through the
//     deliver job's sender (no redirects, capped answer, time budget, address check at connect),
//     signed per Standard Webhooks on the webhook channel with the digest's message id; record
//     delivered, retried on the webhook retry schedule, or given up.
// At least once, like the outbox: a run that dies between sending and recording leaves the digest
// leased, and when the lease ends the same body goes again under the same webhook-id.
import { sendingEndpoints } from '../../db/webhook-endpoints-repo.js';
import { slackDestinations } from '../../db/watch-delivery-repo.js';
import { buildDigest, digestQueue, digestWatches, type DigestWatch } from '../../db/watch-digests-repo.js';
import type { Db, Queryable } from '../../db/types.js';
import { errorText } from '../../log/error-text.js';
import { deliveryAttemptDuration } from '../../metrics/delivery-metrics.js';
import type { JobContext } from '../../model/job-context.js';
import type { Digest, DigestChannel } from '../../model/watch-delivery.js';
import { count, eachLimit, giveUp, recordFailure, runLeaseMs, type RetryDelay, type Tally } from '../claim-outcomes.js';
import { slackTarget } from '../slack/channel.js';
import { openSlackUrl } from '../slack/slack-url.js';
import { toSignalFilter } from '../watch-filter.js';
import { createSendAgents, send, type SendAgents, type SendTarget } from '../webhooks/send.js';
import { newMessageId } from '../webhooks/sign.js';
import { webhookTarget } from '../webhooks/webhook-target.js';
import { digestBody } from './digest-body.js';
import { dueWindow } from './period.js';

export interface DigestOptions {
  /** The key webhook secrets and Slack URLs are sealed with. */
  key: Buffer;
  /** Watches read per page while building. */
  watchesPerPage: number;
  /** Digests claimed per run. */
  batchSize: number;
  /** Digests sent at once. */
  concurrency: number;
  /** Budget of one request, ms. */
  timeoutMs: number;
  /** Refuse non-public addresses at connect (every stage but local). */
  publicOnly: boolean;
  /** Delay after n failed attempts, or undefined = give up. Default: the webhook retry schedule. */
  retryDelay?: RetryDelay;
  /** The clock that decides which periods are due. Default: now. */
  now?: () => Date;
}

export interface DigestRunResult extends Tally {
  /** Digests built with items (to send). */
  built: number;
  /** Periods closed with nothing new (nothing sent). */
  empty: number;
  claimed: number;
}

type DigestRun = Pick<JobContext, 'signal' | 'shouldStop' | 'remainingMs' | 'log'>;

async function buildFor(db: Db, watch: DigestWatch, now: Date, result: DigestRunResult, run: DigestRun): Promise<void> {
  for (const { channel, lastEnd } of watch.channels) {
    const window = dueWindow(watch.period, now, lastEnd);
    if (window === undefined) continue;
    try {
      const digest = await buildDigest(db, { watch, filter: toSignalFilter(watch.filter), channel, ...window }, (candidates) => ({
        messageId: newMessageId(),
        body: digestBody(channel, { watch, period: watch.period, ...window, signalJsons: candidates.map((candidate) => candidate.json) }),
      }));
      if (digest?.status === 'empty') result.empty += 1;
      else if (digest !== undefined) result.built += 1;
    } catch (error) {
      // A concurrent run took an item first (primary key) or the query failed: the next run tries again.
      run.log.warn('digest not built', { watchId: watch.id, channel, error: errorText(error) });
    }
  }
}

/** Step 1: every due period of every digest watch, page by page, until done or out of time. */
async function buildStep(db: Db, run: DigestRun, options: DigestOptions, result: DigestRunResult): Promise<void> {
  const now = (options.now ?? (() => new Date()))();
  let after: string | undefined;
  for (;;) {
    const watches = await digestWatches(db, after, options.watchesPerPage);
    for (const watch of watches) {
      if (run.shouldStop()) return;
      await buildFor(db, watch, now, result, run);
    }
    if (watches.length < options.watchesPerPage) return;
    after = watches[watches.length - 1]?.id;
  }
}

/** Send targets of the claimed digests' watches, by `${channel}:${watchId}`. */
async function targets(db: Queryable, digests: readonly Digest[], key: Buffer, run: DigestRun): Promise<Map<string, SendTarget>> {
  const ids = (channel: DigestChannel): string[] => [...new Set(digests.filter((d) => d.channel === channel).map((d) => d.watchId))];
  const resolved = new Map<string, SendTarget>();
  for (const endpoint of await sendingEndpoints(db, ids('webhook'))) {
    try {
      resolved.set(`webhook:${endpoint.watchId}`, webhookTarget(endpoint, key));
    } catch (error) {
      run.log.error('webhook secret could not be opened', { watchId: endpoint.watchId, error: errorText(error) });
    }
  }
  for (const destination of await slackDestinations(db, ids('slack'))) {
    try {
      resolved.set(`slack:${destination.watchId}`, slackTarget(destination.watchId, openSlackUrl(key, destination.watchId, destination.urlSealed)));
    } catch (error) {
      run.log.error('Slack URL could not be opened', { watchId: destination.watchId, error: errorText(error) });
    }
  }
  return resolved;
}

async function sendOne(db: Queryable, run: DigestRun, digest: Digest, target: SendTarget | undefined, agents: SendAgents, options: DigestOptions, result: DigestRunResult): Promise<void> {
  if (run.shouldStop() || run.remainingMs() <= 0) {
    await digestQueue.release(db, [digest.id], 0);
    return count(result, digest.channel, 'deferred');
  }
  if (target === undefined) return giveUp(db, digestQueue, digest, `no ${digest.channel} set up for this watch`, result);
  const sent = await send(target, digest.body, digest.messageId, {
    agents,
    timeoutMs: Math.min(options.timeoutMs, Math.max(1, run.remainingMs())),
    publicOnly: options.publicOnly,
    signal: run.signal,
  });
  deliveryAttemptDuration.observe({ channel: digest.channel }, sent.durationMs / 1000);
  if (sent.ok) {
    await digestQueue.markDelivered(db, [digest.id]);
    return count(result, digest.channel, 'delivered');
  }
  await recordFailure(db, digestQueue, digest, sent.error, result, options.retryDelay);
}

/** Step 2: the due digests, a few at a time. */
async function sendStep(db: Queryable, run: DigestRun, options: DigestOptions, result: DigestRunResult): Promise<void> {
  const claimed = await digestQueue.claimDue(db, options.batchSize, runLeaseMs(run));
  result.claimed = claimed.length;
  if (claimed.length === 0) return;
  const resolved = await targets(db, claimed, options.key, run);
  const agents = createSendAgents(options.concurrency);
  try {
    await eachLimit(claimed, options.concurrency, (digest) => sendOne(db, run, digest, resolved.get(`${digest.channel}:${digest.watchId}`), agents, options, result));
  } finally {
    agents.destroy();
  }
}

/** One run: build what is due, then send what is pending. */
export async function runDigests(db: Db, run: DigestRun, options: DigestOptions): Promise<DigestRunResult> {
  const result: DigestRunResult = { built: 0, empty: 0, claimed: 0, delivered: 0, retrying: 0, gaveUp: 0, deferred: 0 };
  await buildStep(db, run, options, result);
  if (!run.shouldStop()) await sendStep(db, run, options, result);
  return result;
}
