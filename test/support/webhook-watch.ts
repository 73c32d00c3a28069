// A watch with a webhook endpoint, as the API sets one up (sealed secret, cursor from now), and
// signals it matches, for the delivery tests and the bench.
import { randomBytes } from 'node:crypto';
import { createWatch } from '../../lib/db/watches-repo.js';
import type { Db, Queryable } from '../../lib/db/types.js';
import { putWebhookEndpoint } from '../../lib/db/webhook-endpoints-repo.js';
import { generateFeedToken } from '../../lib/delivery/feed-token.js';
import type { SweepOptions } from '../../lib/delivery/sweep.js';
import { webhookChannel } from '../../lib/delivery/webhooks/channel.js';
import { sealSecret, secretPrefix, webhookKey } from '../../lib/delivery/webhooks/secret-box.js';
import { generateWebhookSecret } from '../../lib/delivery/webhooks/sign.js';
import { seedSignals } from './signal-factory.js';

/** The local stage's key, as `npm start` and the tests use it. */
export const TEST_WEBHOOK_KEY = webhookKey({ STAGE: 'local', WEBHOOK_SECRET_KEY: undefined });

export interface HookedWatch {
  watchId: string;
  /** The tag only this watch's signals carry (its filter). */
  tag: string;
  secret: string;
}

/** A watch matching signals tagged with a tag of its own, delivering to `url` (signed with `secret`, a new one by default). */
export async function hookedWatch(db: Db, url: string, owner = 'hooks', secret = generateWebhookSecret()): Promise<HookedWatch> {
  const tag = `hook-${randomBytes(4).toString('hex')}`;
  const token = generateFeedToken();
  const watch = await createWatch(db, { ownerKeyId: owner, name: `watch ${tag}`, filter: { tag: [tag] }, feedTokenHash: token.hash, feedTokenPrefix: token.prefix }, 100_000);
  if (watch === undefined) throw new Error('watch cap reached');
  await putWebhookEndpoint(db, { owner }, watch.id, url, { sealed: sealSecret(TEST_WEBHOOK_KEY, watch.id, secret), prefix: secretPrefix(secret) });
  return { watchId: watch.id, tag, secret };
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
