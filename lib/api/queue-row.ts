// Where a row of a leased queue (lib/db/leased-queue.ts) stands, as the API shows it for a delivery
// (GET /v1/watches/{id}/deliveries) and a digest (…/digests): the same fields, schema and JSON.
import * as z from 'zod/mini';
import type { QueueState } from '../model/delivery.js';

/** The fields after `status` (whose values differ per queue). */
export const QUEUE_ROW_FIELDS = {
  attempts: z.number(),
  next_attempt_at: z.nullable(z.string()),
  last_error: z.nullable(z.string()),
  created_at: z.string(),
  delivered_at: z.nullable(z.string()),
};

export function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

/** `status` and the QUEUE_ROW_FIELDS of `row`; the next attempt only while one is to come. */
export function queueRowJson(row: QueueState): Record<string, unknown> {
  return {
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.status === 'pending' ? iso(row.nextAttemptAt) : null,
    last_error: row.lastError,
    created_at: iso(row.createdAt),
    delivered_at: iso(row.deliveredAt),
  };
}
