// One suite's Redis: an Upstash REST bridge over the test Redis (what production's client talks
// to) and a direct ioredis connection to look at keys, started before the suite's tests and closed
// after them, with every key under the suite's random `prefix` deleted.
import { randomUUID } from 'node:crypto';
import { Redis as IORedis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startUpstashBridge, type UpstashBridge } from '../../infra/local/upstash-bridge.js';
import { createRedis, type AppRedis } from '../../lib/redis/client.js';
import { scanAll } from './redis-scan.js';
import { services } from './services.js';

export interface RedisBridge {
  /** The bridge: its `url` and `token` are what UPSTASH_REDIS_REST_URL/TOKEN would hold. */
  readonly bridge: UpstashBridge;
  /** A direct connection, to read what the code under test wrote. */
  readonly direct: IORedis;
  /** A new client over the bridge, as production builds it (@upstash/redis, loaded on first use). */
  rest(): AppRedis;
}

/** Registers the suite's hooks; the fields are there once its tests run. */
export function useRedisBridge(prefix: string): RedisBridge {
  let bridge: UpstashBridge | undefined;
  let direct: IORedis | undefined;

  beforeAll(async () => {
    bridge = await startUpstashBridge({ redisUrl: services.redisUrl, token: randomUUID() });
    direct = new IORedis(services.redisUrl);
  });

  afterAll(async () => {
    if (direct !== undefined) {
      const keys = await scanAll(direct, `${prefix}*`);
      if (keys.length > 0) await direct.del(...keys);
      direct.disconnect();
    }
    await bridge?.close();
  });

  function started<T>(value: T | undefined): T {
    if (value === undefined) throw new Error('useRedisBridge: read in a test or hook, after its beforeAll ran');
    return value;
  }

  return {
    get bridge() {
      return started(bridge);
    },
    get direct() {
      return started(direct);
    },
    rest() {
      const { url, token } = started(bridge);
      return createRedis({ url, token });
    },
  };
}
