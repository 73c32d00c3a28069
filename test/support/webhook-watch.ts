// Watches as the delivery tests and the bench need them, made through the repositories: a watch of
// an owner (a fresh feed token, as the API makes one), one with a webhook endpoint as the API sets
// it up (sealed secret, cursor from now) and signals it matches, the real receivers a test file
// starts (closed together), and an outbox with only the test's own rows due.
import { randomBytes } from 'node:crypto';
import { sql } from '../../lib/db/sql.js';
import { updateWatchDelivery } from '../../lib/db/watch-delivery-repo.js';
import { createWatch } from '../../lib/db/watches-repo.js';
import type { Db, Queryable } from '../../lib/db/types.js';
import { putWebhookEndpoint } from '../../lib/db/webhook-endpoints-repo.js';
import { generateFeedToken } from '../../lib/delivery/feed-token.js';
import { sealSlackUrl, slackUrlHint } from '../../lib/delivery/slack/slack-url.js';
import type { SweepOptions } from '../../lib/delivery/sweep.js';
import { webhookChannel } from '../../lib/delivery/webhooks/channel.js';
import { sealSecret, secretPrefix, webhookKey } from '../../lib/delivery/webhooks/secret-box.js';
import { generateWebhookSecret } from '../../lib/delivery/webhooks/sign.js';
import type { Watch, WatchFilter } from '../../lib/model/watch.js';
import { seedSignals } from './signal-factory.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

/** The local stage's key, as `npm start` and the tests use it. */
export const TEST_WEBHOOK_KEY = webhookKey({ STAGE: 'local', WEBHOOK_SECRET_KEY: undefined });

export interface NewTestWatch {
  /** The owning key's id (default `hooks`: no key row needed below the API). */
  owner?: string;
  name?: string;
  filter?: WatchFilter;
}

/** A watch of `owner`, made by the repository with a fresh feed token (`feedToken`, its plaintext). */
export async function newWatch(db: Db, { owner = 'hooks', name = 'w', filter = { q: 'x' } }: NewTestWatch = {}): Promise<Watch & { feedToken: string }> {
  const token = generateFeedToken();
  const watch = await createWatch(db, { ownerKeyId: owner, name, filter, feedTokenHash: token.hash, feedTokenPrefix: token.prefix }, 100_000);
  if (watch === undefined) throw new Error('watch cap reached');
  return { ...watch, feedToken: token.token };
}

export interface HookedWatch {
  watchId: string;
  /** The tag only this watch's signals carry (its filter). */
  tag: string;
  secret: string;
}

export interface HookedWatchOptions {
  owner?: string;
  /** Signs its deliveries; default: a new one. */
  secret?: string;
  /** How many matching signals to harvest for it now (matchingSignals); default none. */
  signals?: number;
}

/**
 * A watch matching signals tagged with a tag of its own, delivering to `to`. A receiver given as
 * `to` accepts the watch's secret from now on.
 */
export async function hookedWatch(db: Db, to: string | WebhookReceiver, { owner = 'hooks', secret = generateWebhookSecret(), signals = 0 }: HookedWatchOptions = {}): Promise<HookedWatch> {
  const tag = `hook-${randomBytes(4).toString('hex')}`;
  const watch = await newWatch(db, { owner, name: `watch ${tag}`, filter: { tag: [tag] } });
  const url = typeof to === 'string' ? to : to.url;
  await putWebhookEndpoint(db, { owner }, watch.id, url, { sealed: sealSecret(TEST_WEBHOOK_KEY, watch.id, secret), prefix: secretPrefix(secret) });
  if (typeof to !== 'string') to.secrets.push(secret);
  if (signals > 0) await matchingSignals(db, tag, signals);
  return { watchId: watch.id, tag, secret };
}

/** Sets the watch's own Slack webhook to `url` (sealed, as the API stores it). */
export async function setWatchSlack(db: Db, watchId: string, url: string): Promise<void> {
  await updateWatchDelivery(db, { owner: undefined }, watchId, { slack: { urlSealed: sealSlackUrl(TEST_WEBHOOK_KEY, watchId, url), urlHint: slackUrlHint(url) } });
}

/** The receivers a test file starts; `closeAll` in its afterAll. */
export function webhookReceivers(): { start: (options?: { delayMs?: number }) => Promise<WebhookReceiver>; closeAll: () => Promise<void> } {
  const started: WebhookReceiver[] = [];
  return {
    start: async (options) => {
      const receiver = await startWebhookReceiver([], options);
      started.push(receiver);
      return receiver;
    },
    closeAll: async () => {
      await Promise.all(started.map((receiver) => receiver.close()));
    },
  };
}

/** Parks every other test's pending deliveries and enqueue cursors, so a sweep or claim sees only this test's. */
export async function isolateOutbox(db: Queryable): Promise<void> {
  await db.query(sql`UPDATE delivery_outbox SET next_attempt_at = now() + interval '30 days' WHERE status = 'pending'`);
  await db.query(sql`DELETE FROM delivery_cursors`);
}

let seq = 1_000_000;

/** `count` new active signals carrying `tag`, harvested now. */
export async function matchingSignals(db: Queryable, tag: string, count: number): Promise<void> {
  const start = seq;
  seq += count;
  // A second ahead: fetched_at after the endpoint's cursor started, whatever the clocks' rounding.
  const fetchedAt = new Date(Date.now() + 1000);
  await seedSignals(db, count, { start, overrides: { tags: [tag], status: 'active', fetchedAt } });
}

/** Sweep options for tests: small budgets, local receivers allowed. */
export function testSweepOptions(overrides: Partial<SweepOptions> = {}): SweepOptions {
  return {
    channels: [webhookChannel(TEST_WEBHOOK_KEY)],
    batchSize: 500,
    concurrency: 8,
    perEndpointConcurrency: 4,
    endpointBudgetMs: 5_000,
    timeoutMs: 1_000,
    publicOnly: false,
    enqueuePerWatch: 500,
    enqueueWatches: 1_000,
    ...overrides,
  };
}
