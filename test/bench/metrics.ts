// Metrics overhead on a warm request (middleware + interval pushing vs none) and the cost of one
// push on loopback, measured in a child process (see metrics-child.ts) against the real Pushgateway.
import { runChild } from './child.js';
import type { MetricsResult } from './metrics-child.js';
import { services } from '../support/services.js';

export type { MetricsResult };

export function measureMetrics(): Promise<MetricsResult> {
  return runChild<MetricsResult>('./metrics-child.ts', {
    timeoutMs: 120_000,
    env: { PUSHGATEWAY_URL: services.pushgatewayUrl, METRICS_PUSH_INTERVAL_MS: '10000', METRICS_PUSH_TIMEOUT_MS: '300' },
  });
}
