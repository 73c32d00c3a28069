// Delivery metrics (lib/delivery/sweep.ts, pushed with the deliver job's run): attempts by channel
// and result, how long an attempt and a delivery take, and the outbox's depth and oldest age, set
// at the end of each sweep. `channel` is a DELIVERY_CHANNELS value and `result` one of
// DELIVERY_RESULTS, so the series stay bounded.
import { Counter, Gauge, Histogram } from './prom.js';
import { registry } from './registry.js';

/** delivered: 2xx; retrying: failed, due again later; gave_up: failed, schedule exhausted; deferred: not tried this sweep. */
export const DELIVERY_RESULTS = ['delivered', 'retrying', 'gave_up', 'deferred'] as const;
export type DeliveryResult = (typeof DELIVERY_RESULTS)[number];

export const deliveriesTotal = new Counter({
  name: 'deliveries_total',
  help: 'Delivery attempts by channel and result (delivered, retrying, gave_up; deferred = claimed but left for the next sweep).',
  labelNames: ['channel', 'result'] as const,
  registers: [registry],
});

export const deliveryAttemptDuration = new Histogram({
  name: 'delivery_attempt_duration_seconds',
  help: 'One delivery request, from connect to the (capped) response, by channel.',
  labelNames: ['channel'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const deliveryLatency = new Histogram({
  name: 'delivery_latency_seconds',
  help: 'From a delivery entering the outbox to its successful attempt, retries included, by channel.',
  labelNames: ['channel'] as const,
  buckets: [1, 5, 15, 30, 60, 120, 300, 900, 3600, 21_600, 86_400],
  registers: [registry],
});

export const deliveryOutboxDepth = new Gauge({
  name: 'delivery_outbox_depth',
  help: 'Deliveries pending in the outbox (as of the last sweep).',
  registers: [registry],
});

export const deliveryOutboxOldestAge = new Gauge({
  name: 'delivery_outbox_oldest_age_seconds',
  help: 'Age of the oldest pending delivery, seconds (as of the last sweep; 0 when none).',
  registers: [registry],
});
