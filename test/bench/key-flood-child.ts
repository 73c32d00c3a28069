// Child process of key-flood.ts: 1,000 random, well-formed API keys from one source IP against the
// signals app on real Postgres (through the Neon bridge) and the Redis limiter (through the Upstash
// bridge), 8 in flight. Ours charges each failed authentication, and each look-up before it is
// made, to the source IP's authentication bucket; the baseline is the same app whose authentication
// charges nothing (authentication before rate limiting, as before issue 12). Counted: api_keys
// look-ups the database ran (db_queries_total), answers by status, the first 429.
import { randomInt, randomUUID } from 'node:crypto';
import { Redis as IORedis } from 'ioredis';
import { startUpstashBridge } from '../../infra/local/upstash-bridge.js';
import { mountSignalsApi } from '../../lib/api/signals-api.js';
import { createApiKeyStore } from '../../lib/db/api-keys-repo.js';
import { getDb, resetDb, setDb } from '../../lib/db/client.js';
import { createApp } from '../../lib/http/app.js';
import { rateLimit } from '../../lib/http/middleware/rate-limit.js';
import { RateLimiter } from '../../lib/ratelimit/limiter.js';
import { RedisStore } from '../../lib/ratelimit/redis-store.js';
import { createRedis } from '../../lib/redis/client.js';
import { closeDatabases, createPostgresDatabase } from '../support/databases.js';
import { floodRandomKeys, type KeyFloodResult } from '../support/key-flood.js';
import { scanAll } from '../support/redis-scan.js';
import { services } from '../support/services.js';
import { reportToParent } from './child.js';

export interface KeyFloodBenchResult {
  keys: number;
  capacity: number;
  ours: KeyFloodResult & { ms: number };
  baseline: KeyFloodResult & { ms: number };
}

const KEYS = 1_000;
const CAPACITY = 100;
const prefix = `bench:key-flood:${randomUUID()}:`;

const database = await createPostgresDatabase();
setDb(database.db);
const bridge = await startUpstashBridge({ redisUrl: services.redisUrl, token: randomUUID() });
const limiter = new RateLimiter({
  store: new RedisStore({ runner: createRedis({ url: bridge.url, token: bridge.token }) }),
  limits: { anonymous: CAPACITY, api_key: 1_000, premium: 5_000 },
  timeoutMs: 2_000,
  keyPrefix: prefix,
});
const keys = createApiKeyStore(getDb);

const ours = createApp({ name: 'key-flood', keys: () => keys, limiter: () => limiter });
mountSignalsApi(ours);
// The baseline: the same chain, but authentication charges nothing (no limiter handed to it).
const baseline = createApp({ name: 'key-flood-baseline', keys: () => keys });
baseline.use(rateLimit({ limiter: () => limiter }));
mountSignalsApi(baseline);

async function timed(app: typeof ours): Promise<KeyFloodResult & { ms: number }> {
  const started = performance.now();
  const result = await floodRandomKeys({ app, keys: KEYS, concurrency: 8, sourceIp: `198.51.100.${String(randomInt(1, 255))}` });
  return { ...result, ms: performance.now() - started };
}

const result: KeyFloodBenchResult = { keys: KEYS, capacity: CAPACITY, baseline: await timed(baseline), ours: await timed(ours) };

const direct = new IORedis(services.redisUrl);
const left = await scanAll(direct, `${prefix}*`);
if (left.length > 0) await direct.del(...left);
direct.disconnect();
await bridge.close();
await resetDb();
await database.dispose();
await closeDatabases();
reportToParent(result);
