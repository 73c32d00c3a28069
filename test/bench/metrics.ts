// Metrics overhead on a warm request (middleware + interval pushing vs none) and the cost of one
// push on loopback, measured in a child process (see metrics-child.ts) against the real Pushgateway
// or the real VictoriaMetrics.
import { runChild } from './child.js';
import type { MetricsResult } from './metrics-child.js';
import { services } from '../support/services.js';

export type { MetricsResult };

/** `target`: where the flusher pushes (METRICS_PUSH_TARGET), the real Pushgateway or the real VictoriaMetrics. */
export function measureMetrics(target: 'pushgateway' | 'victoria-metrics' = 'pushgateway'): Promise<MetricsResult> {
  return runChild<MetricsResult>('./metrics-child.ts', {
    timeoutMs: 120_000,
    env: {
      METRICS_PUSH_TARGET: target,
      PUSHGATEWAY_URL: services.pushgatewayUrl,
      VICTORIA_METRICS_URL: services.victoriaMetricsUrl,
      METRICS_PUSH_INTERVAL_MS: '10000',
      METRICS_PUSH_TIMEOUT_MS: '300',
    },
  });
}
