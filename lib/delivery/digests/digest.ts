// The digest job's work with the configured options: the sealing key, the deliver job's request
// budget and concurrency, and the address check everywhere but the local stage.
import { getConfig, type Config } from '../../config.js';
import { getDb } from '../../db/client.js';
import type { JobContext } from '../../model/job-context.js';
import { webhookKey } from '../webhooks/secret-box.js';
import { runDigests, type DigestOptions, type DigestRunResult } from './run-digests.js';

/** Watches read per page while building (each costs one candidates query per due channel). */
const WATCHES_PER_PAGE = 500;
/** Digests claimed per run: at most one per (watch, channel) per period, so few at a time. */
const BATCH_SIZE = 1_000;

export function digestOptions(config: Config): DigestOptions {
  return {
    key: webhookKey(config),
    watchesPerPage: WATCHES_PER_PAGE,
    batchSize: BATCH_SIZE,
    concurrency: config.DELIVERY_CONCURRENCY,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    publicOnly: config.STAGE !== 'local',
  };
}

export async function digest(run: JobContext): Promise<DigestRunResult> {
  const result = await runDigests(await getDb(), run, digestOptions(getConfig()));
  run.log.info('digests built and sent', { ...result });
  return result;
}
