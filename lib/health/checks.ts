// The readiness checks of the seed, for Lambda: database, Redis (PING latency against the rate
// limiter's budget; never worse than degraded: the limiter falls back), /tmp space, memory against the function's configured size.
import { statfs } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { getConfig } from '../config.js';
import { getDb } from '../db/client.js';
import { sql } from '../db/sql.js';
import { pushgatewayTarget } from '../metrics/pushgateway.js';
import { defaultLimiter } from '../ratelimit/default-limiter.js';
import { abortable, defaultRedis } from '../redis/client.js';
import { ensureSecrets, secretsState } from '../secrets.js';
import type { HealthCheck, HealthStatus } from './types.js';

export const databaseCheck: HealthCheck = {
  name: 'database',
  timeoutMs: 2000,
  onTimeout: 'unhealthy',
  async run() {
    const started = performance.now();
    const db = await getDb();
    await db.query(sql`SELECT 1`);
    const ms = performance.now() - started;
    return ms > 1000
      ? { status: 'degraded', message: `database answered slowly (${Math.round(ms)} ms)` }
      : { status: 'healthy', message: `database is healthy (${db.driver})` };
  },
};

/** One PING's round trip, ms. */
async function timedPing(redis: NonNullable<ReturnType<typeof defaultRedis>>, signal: AbortSignal): Promise<number> {
  const started = performance.now();
  await abortable(signal, () => redis.ping());
  return performance.now() - started;
}

/**
 * Redis judged the way the limiter sees it. In Lambda the health function's own limiter never
 * rate-limits, so its fallback state says nothing about the API's containers; what does is whether
 * Redis answers within the limiter's budget (RATE_LIMIT_REDIS_TIMEOUT_MS): a PING slower than that
 * means the API's decisions are falling back to memory. A first PING over budget may be this
 * container's cold connection (DNS, TLS, the client's import): one more PING on the warm connection
 * decides, so a cold probe is not reported degraded for its own start-up.
 */
export const redisCheck: HealthCheck = {
  name: 'redis',
  timeoutMs: 1000,
  // Redis down is never unhealthy: the limiter decides from memory meanwhile.
  onTimeout: 'degraded',
  async run(signal) {
    const redis = defaultRedis();
    if (redis === undefined) return { status: 'healthy', message: 'no Redis configured: in-memory rate limiting' };
    const budgetMs = getConfig().RATE_LIMIT_REDIS_TIMEOUT_MS;
    let pingMs = await timedPing(redis, signal);
    if (pingMs > budgetMs) pingMs = Math.min(pingMs, await timedPing(redis, signal));
    const rounded = Math.round(pingMs);
    if (pingMs > budgetMs) {
      return { status: 'degraded', message: `Redis PING took ${String(rounded)} ms, over the rate limiter's ${String(budgetMs)} ms budget: rate-limit decisions fall back to memory` };
    }
    if (defaultLimiter().status().degraded) return { status: 'degraded', message: 'Redis answers again; the limiter is still on its memory fallback' };
    return { status: 'healthy', message: `Redis is healthy (PING ${String(rounded)} ms, budget ${String(budgetMs)} ms)` };
  },
};

function byShare(freeShare: number, degradedBelow: number, unhealthyBelow: number): HealthStatus {
  if (freeShare < unhealthyBelow) return 'unhealthy';
  return freeShare < degradedBelow ? 'degraded' : 'healthy';
}

export const tmpSpaceCheck: HealthCheck = {
  name: 'tmp_space',
  timeoutMs: 500,
  onTimeout: 'degraded',
  async run() {
    const stats = await statfs('/tmp');
    const free = stats.bavail / stats.blocks;
    return { status: byShare(free, 0.1, 0.05), message: `${Math.round(free * 100)}% of /tmp free` };
  },
};

export const memoryCheck: HealthCheck = {
  name: 'memory',
  timeoutMs: 100,
  onTimeout: 'degraded',
  run() {
    const configured = getConfig().AWS_LAMBDA_FUNCTION_MEMORY_SIZE;
    const limit = configured === undefined ? totalmem() : configured * 1024 * 1024;
    const used = process.memoryUsage().rss / limit;
    const status: HealthStatus = used > 0.95 ? 'unhealthy' : used > 0.85 ? 'degraded' : 'healthy';
    return Promise.resolve({ status, message: `${Math.round(used * 100)}% of the memory limit in use` });
  },
};

export const secretsCheck: HealthCheck = {
  name: 'secrets',
  timeoutMs: 3000,
  // Without its secret a container has no database URL or keys: it cannot serve.
  onTimeout: 'unhealthy',
  async run() {
    const state = secretsState();
    if (state === 'not_configured') return { status: 'healthy', message: 'no secret configured: environment only' };
    if (state === 'not_loaded') await ensureSecrets();
    return { status: 'healthy', message: 'secrets loaded' };
  },
};

export const pushgatewayCheck: HealthCheck = {
  name: 'pushgateway',
  timeoutMs: 1000,
  // Non-critical: metrics are lost for a while, requests are not.
  onTimeout: 'degraded',
  async run(signal) {
    const url = getConfig().PUSHGATEWAY_URL;
    if (url === undefined) return { status: 'healthy', message: 'metrics push disabled' };
    const target = pushgatewayTarget(url);
    const response = await fetch(`${target.base}/-/healthy`, { headers: target.headers, signal });
    await response.body?.cancel();
    return response.ok
      ? { status: 'healthy', message: 'Pushgateway reachable' }
      : { status: 'degraded', message: `Pushgateway answered ${String(response.status)}` };
  },
};

export const readinessChecks: readonly HealthCheck[] = [databaseCheck, redisCheck, secretsCheck, pushgatewayCheck, tmpSpaceCheck, memoryCheck];
