// Issue 12's burst, measured: four limiter containers (child processes, deployed defaults: 50 ms
// budget, fallback share 0.25, clocks ±2 s apart) fire 1,000 concurrent decisions between them at
// one client's bucket of 100, with Redis healthy (the upstash-bridge), slowed by 80 ms (a TCP
// proxy delaying every request) and black-holed (accepts, never answers). Reports what they
// admitted against the capacity and the p99 decision time.
import { randomUUID } from 'node:crypto';
import { Redis as IORedis } from 'ioredis';
import { startUpstashBridge } from '../../infra/local/upstash-bridge.js';
import { TOKEN_BUCKET_SCRIPT } from '../../lib/ratelimit/token-bucket.lua.js';
import { connectRedis } from '../../lib/redis/client.js';
import { percentile, startContainers } from '../support/limiter-containers.js';
import { services } from '../support/services.js';
import { startBlackHole, startDelayProxy } from '../support/tcp-faults.js';

export interface ContainerBurstRow {
  redis: 'healthy' | 'slowed by 80 ms' | 'black-holed';
  capacity: number;
  requests: number;
  admitted: number;
  /** Decisions by reason (redis, fallback, cached_denial). */
  reasons: Record<string, number>;
  p99Ms: number;
}

const CAPACITY = 100;
const CONTAINERS = 4;
const REQUESTS = 1_000;

/** Needs Redis on 127.0.0.1:6379 (or TEST_REDIS_URL); ~10 s (four processes started). */
export async function measureContainerBursts(): Promise<ContainerBurstRow[]> {
  const prefix = `bench:rate-limit-containers:${randomUUID()}:`;
  const bridge = await startUpstashBridge({ redisUrl: services.redisUrl, token: randomUUID() });
  const slow = await startDelayProxy(bridge.url, 80);
  const blackHole = await startBlackHole();
  const containers = await startContainers([-300, -100, 100, 300]);
  const direct = new IORedis(services.redisUrl, { protocol: 2 });
  try {
    await (await connectRedis({ url: bridge.url, token: bridge.token })).scriptLoad(TOKEN_BUCKET_SCRIPT);
    const rows: ContainerBurstRow[] = [];
    const scenarios = [
      ['healthy', bridge.url],
      ['slowed by 80 ms', slow.url],
      ['black-holed', blackHole.url],
    ] as const;
    for (const [redis, url] of scenarios) {
      const results = await containers.burst({
        url,
        token: bridge.token,
        keyPrefix: prefix,
        identifier: `bench-${randomUUID()}`,
        requests: REQUESTS / CONTAINERS,
        capacity: CAPACITY,
      });
      const reasons: Record<string, number> = {};
      for (const result of results) for (const [reason, n] of Object.entries(result.reasons)) reasons[reason] = (reasons[reason] ?? 0) + n;
      const all = results.flatMap((result) => result.decisionMs).sort((a, b) => a - b);
      rows.push({
        redis,
        capacity: CAPACITY,
        requests: REQUESTS,
        admitted: results.reduce((sum, result) => sum + result.admitted, 0),
        reasons,
        p99Ms: percentile(all, 99),
      });
    }
    return rows;
  } finally {
    await containers.close();
    let cursor = '0';
    do {
      const [next, keys] = await direct.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
      if (keys.length > 0) await direct.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    direct.disconnect();
    await Promise.all([slow.close(), blackHole.close()]);
    await bridge.close();
  }
}
