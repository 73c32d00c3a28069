// The deliver job's work with the configured options: the webhook channel under the configured
// key, the configured bounds, and the address check everywhere but the local stage.
import { getConfig, type Config } from '../config.js';
import { getDb } from '../db/client.js';
import type { JobContext } from '../model/job-context.js';
import { sweepOutbox, type DeliveryChannelSpec, type SweepOptions, type SweepResult } from './sweep.js';
import { slackChannel } from './slack/channel.js';
import { webhookChannel } from './webhooks/channel.js';
import { webhookKey } from './webhooks/secret-box.js';

/** Requests in flight per endpoint: a few, so one endpoint's backlog drains fast without flooding it. */
export const PER_ENDPOINT_CONCURRENCY = 4;

/** The sweep's options from configuration; `channels` defaults to the webhook and Slack channels. */
export function sweepOptions(config: Config, channels?: readonly DeliveryChannelSpec[]): SweepOptions {
  const key = webhookKey(config);
  return {
    channels: channels ?? [webhookChannel(key), slackChannel(key)],
    batchSize: config.DELIVERY_BATCH_SIZE,
    concurrency: config.DELIVERY_CONCURRENCY,
    perEndpointConcurrency: PER_ENDPOINT_CONCURRENCY,
    endpointBudgetMs: config.DELIVERY_ENDPOINT_BUDGET_MS,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    publicOnly: config.STAGE !== 'local',
    enqueuePerWatch: config.DELIVERY_ENQUEUE_PER_WATCH,
    enqueueWatches: config.DELIVERY_ENQUEUE_WATCHES,
  };
}

export async function deliver(run: JobContext): Promise<SweepResult> {
  const db = await getDb();
  const result = await sweepOutbox(db, run, sweepOptions(getConfig()));
  run.log.info('deliveries swept', { ...result });
  return result;
}
