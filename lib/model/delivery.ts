// What a delivery is: one (watch, signal) to send over a channel, queued in the outbox
// (infra/migrations/0008_delivery_outbox.sql and 0011, whose CHECKs list the same values).

/** `webhook`: the watch's signed endpoint; `slack`: the watch's own Slack incoming webhook. */
export const DELIVERY_CHANNELS = ['webhook', 'slack'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Where a row of a leased queue (the outbox, the digests: lib/db/leased-queue.ts) stands. */
export interface QueueState<Status extends string = string> {
  status: Status;
  /** Attempts started so far (a claim counts one). */
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface Delivery extends QueueState<DeliveryStatus> {
  id: string;
  watchId: string;
  signalId: string;
  channel: DeliveryChannel;
  /** The `webhook-id`, stable across retries. */
  messageId: string;
}
