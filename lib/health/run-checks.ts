// Runs checks in parallel, each within its own budget, and never lets one throw: a check that
// fails or overruns becomes a component with a status, and its error goes to the log only.
import { log } from '../log/index.js';
import type { ComponentHealth, HealthCheck } from './types.js';

async function runOne(check: HealthCheck): Promise<ComponentHealth> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ status: ComponentHealth['status']; message: string }>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ status: check.onTimeout, message: `no answer within ${check.timeoutMs} ms` });
    }, check.timeoutMs);
  });
  let outcome: { status: ComponentHealth['status']; message: string };
  try {
    outcome = await Promise.race([check.run(controller.signal), timeout]);
  } catch (error) {
    // Drivers sometimes reject with event objects rather than Errors; keep their message.
    const reason = error instanceof Error ? error : new Error(String((error as { message?: unknown } | null)?.message ?? error));
    log.warn('health check failed', { component: check.name, error: reason });
    outcome = { status: check.onTimeout, message: `${check.name} check failed` };
  } finally {
    clearTimeout(timer);
  }
  return {
    name: check.name,
    status: outcome.status,
    message: outcome.message,
    last_check: new Date().toISOString(),
    check_duration_ms: Math.round((performance.now() - started) * 10) / 10,
  };
}

export function runChecks(checks: readonly HealthCheck[]): Promise<ComponentHealth[]> {
  return Promise.all(checks.map(runOne));
}
