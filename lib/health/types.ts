// The health model of the seed: each component reports a status; the worst one wins.
export const HEALTH_STATUSES = ['healthy', 'degraded', 'unhealthy'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export interface ComponentHealth {
  name: string;
  status: HealthStatus;
  message: string;
  last_check: string;
  check_duration_ms: number;
}

export interface HealthReport {
  status: HealthStatus;
  version: string;
  uptime_seconds: number;
  components: ComponentHealth[];
  timestamp: string;
}

/** One check: resolves to a status and a client-safe message (no host names, no secrets). */
export interface HealthCheck {
  name: string;
  /** Budget of this check; past it the component is reported with `onTimeout`. */
  timeoutMs: number;
  onTimeout: HealthStatus;
  run(signal: AbortSignal): Promise<{ status: HealthStatus; message: string }>;
}

export function worst(statuses: readonly HealthStatus[]): HealthStatus {
  let rank = 0;
  for (const status of statuses) rank = Math.max(rank, HEALTH_STATUSES.indexOf(status));
  return HEALTH_STATUSES[rank] ?? 'unhealthy';
}
