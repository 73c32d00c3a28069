// GET /health/ready: every check in parallel, the whole under 5 s, the worst status wins; 503 only
// when unhealthy. Cached per container for a few seconds so a probe storm is not a database storm.
import { getConfig } from '../config.js';
import { liveness } from './live.js';
import { readinessChecks } from './checks.js';
import { runChecks } from './run-checks.js';
import { worst, type HealthCheck, type HealthReport } from './types.js';

let cached: { report: HealthReport; at: number } | undefined;

export async function readiness(checks: readonly HealthCheck[] = readinessChecks): Promise<HealthReport> {
  const ttl = getConfig().HEALTH_CACHE_TTL_MS;
  if (cached !== undefined && Date.now() - cached.at < ttl && checks === readinessChecks) return cached.report;
  const components = await runChecks(checks);
  const { version, uptime_seconds, timestamp } = liveness();
  const report: HealthReport = { status: worst(components.map((c) => c.status)), version, uptime_seconds, components, timestamp };
  if (checks === readinessChecks) cached = { report, at: Date.now() };
  return report;
}

export function statusCode(report: HealthReport): 200 | 503 {
  return report.status === 'unhealthy' ? 503 : 200;
}

/** Forgets the cached report (tests). */
export function resetReadinessCache(): void {
  cached = undefined;
}
