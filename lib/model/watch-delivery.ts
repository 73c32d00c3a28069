// How a watch delivers (infra/migrations/0011_watch_digests.sql, whose CHECKs list the same values):
// each item as it arrives, or a digest of the top new items once a day or a week; to the watch's
// webhook endpoint and/or its own Slack incoming webhook.
import type { QueueState } from './delivery.js';

export const DELIVERY_MODES = ['item', 'daily', 'weekly'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];
export const DIGEST_PERIODS = ['daily', 'weekly'] as const;
export type DigestPeriod = (typeof DIGEST_PERIODS)[number];

/** Where a digest goes. */
export const DIGEST_CHANNELS = ['webhook', 'slack'] as const;
export type DigestChannel = (typeof DIGEST_CHANNELS)[number];

export const DIGEST_STATUSES = ['pending', 'delivered', 'failed', 'empty'] as const;
export type DigestStatus = (typeof DIGEST_STATUSES)[number];

/** Items per digest: Slack shows at most 50 blocks per message, one of them the header. */
export const MIN_DIGEST_SIZE = 1;
export const MAX_DIGEST_SIZE = 49;
export const DEFAULT_DIGEST_SIZE = 10;

export function isDigestPeriod(mode: DeliveryMode): mode is DigestPeriod {
  return mode === 'daily' || mode === 'weekly';
}

export interface WatchDelivery {
  watchId: string;
  mode: DeliveryMode;
  digestSize: number;
  /** The watch's Slack webhook as a hint (`hooks.slack.com/services/T0…/…wxyz`); null when it has none. */
  slackHint: string | null;
}

export interface Digest extends QueueState<DigestStatus> {
  id: string;
  watchId: string;
  channel: DigestChannel;
  period: DigestPeriod;
  periodStart: Date;
  periodEnd: Date;
  /** The `webhook-id` (and the Slack message's idempotency reference), stable across retries. */
  messageId: string;
  /** The exact bytes sent on every attempt. */
  body: string;
  items: number;
}
