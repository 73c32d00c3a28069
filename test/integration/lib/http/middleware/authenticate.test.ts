// A key-guessing flood against a real app on real services: Postgres through the Neon bridge (the
// api_keys look-ups), Redis through the Upstash bridge (the limiter). Random, well-formed keys are
// never issued, so each one is a failed authentication: charged to the source IP's authentication
// bucket (the anonymous tier's capacity) before its look-up, the flood meets 429 after that
// bucket's capacity, and the database
// sees at most one look-up per token. Buckets live under a random key prefix, deleted afterwards.
import { randomInt, randomUUID } from 'node:crypto';
import { Redis as IORedis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstashBridge, type UpstashBridge } from '../../../../../infra/local/upstash-bridge.js';
import { createApiKeyStore } from '../../../../../lib/db/api-keys-repo.js';
import { getDb, resetDb, setDb } from '../../../../../lib/db/client.js';
import { createApp, type App } from '../../../../../lib/http/app.js';
import { mountSignalsApi } from '../../../../../lib/api/signals-api.js';
import { RateLimiter } from '../../../../../lib/ratelimit/limiter.js';
import { RedisStore } from '../../../../../lib/ratelimit/redis-store.js';
import { createRedis } from '../../../../../lib/redis/client.js';
import { closeDatabases, createPostgresDatabase, type TestDatabase } from '../../../../support/databases.js';
import { floodRandomKeys } from '../../../../support/key-flood.js';
import { scanAll } from '../../../../support/redis-scan.js';
import { services } from '../../../../support/services.js';

const prefix = `test:key-flood:${randomUUID()}:`;
const ANONYMOUS_PER_MINUTE = 100;
const KEYS = 400;

describe('a flood of random API keys', () => {
  let database: TestDatabase;
  let bridge: UpstashBridge;
  let direct: IORedis;
  let app: App;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    setDb(database.db);
    bridge = await startUpstashBridge({ redisUrl: services.redisUrl, token: randomUUID() });
    direct = new IORedis(services.redisUrl);
    const limiter = new RateLimiter({
      store: new RedisStore({ runner: createRedis({ url: bridge.url, token: bridge.token }) }),
      limits: { anonymous: ANONYMOUS_PER_MINUTE, api_key: 1_000, premium: 5_000 },
      // Generous: this test is about who is charged, not about a slow Redis.
      timeoutMs: 2_000,
      keyPrefix: prefix,
    });
    const keys = createApiKeyStore(getDb);
    app = createApp({ name: 'key-flood', keys: () => keys, limiter: () => limiter });
    mountSignalsApi(app);
  }, 60_000);

  afterAll(async () => {
    const left = await scanAll(direct, `${prefix}*`);
    if (left.length > 0) await direct.del(...left);
    direct.disconnect();
    await bridge.close();
    await resetDb();
    await database.dispose();
    await closeDatabases();
  });

  it('meets 429 after the anonymous capacity, with the database looked up at most once per token', async () => {
    // Act: 400 keys from one address, 8 in flight at a time
    const result = await floodRandomKeys({ app, keys: KEYS, concurrency: 8, sourceIp: `198.51.100.${String(randomInt(1, 255))}` });

    // Assess: ~100 refused as unknown (403), the rest 429; a few tokens may refill during the run
    // (one every 600 ms), each buying one more look-up.
    const slack = 10;
    expect(result.first429).toBeDefined();
    expect(result.first429).toBeLessThanOrEqual(ANONYMOUS_PER_MINUTE + slack);
    expect(result.statuses[403] ?? 0).toBeGreaterThanOrEqual(ANONYMOUS_PER_MINUTE - 8);
    expect(result.statuses[403] ?? 0).toBeLessThanOrEqual(ANONYMOUS_PER_MINUTE + slack);
    expect(result.statuses[429] ?? 0).toBeGreaterThanOrEqual(KEYS - ANONYMOUS_PER_MINUTE - slack);
    expect(result.lookups).toBeLessThanOrEqual(ANONYMOUS_PER_MINUTE + slack);
    expect(Object.keys(result.statuses).sort()).toEqual(['403', '429']);
  }, 60_000);

  it('charges the flood to its own address only: another address is still answered', async () => {
    const response = await app.request('/v1/signals?limit=1', {}, { event: { requestContext: { http: { sourceIp: '203.0.113.7' } } } as never });

    expect(response.status).toBe(200);
  });

  it("charges attempts apart from the address's anonymous requests: a flooding address still browses anonymously", async () => {
    // Prepare: a flood from one address
    const sourceIp = `198.51.100.${String(randomInt(1, 255))}`;
    await floodRandomKeys({ app, keys: ANONYMOUS_PER_MINUTE + 20, concurrency: 8, sourceIp });

    // Act
    const response = await app.request('/v1/signals?limit=1', {}, { event: { requestContext: { http: { sourceIp } } } as never });

    // Assess: its anonymous bucket was not what the flood spent
    expect(response.status).toBe(200);
  }, 60_000);
});
