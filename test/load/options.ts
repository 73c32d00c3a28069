// Settings of `npm run loadtest`: flags first (`npm run loadtest -- --rate 100`), then LOADTEST_*
// variables, then the defaults (200 requests/s for 25 s on 10,000 signals).
import { parseArgs } from 'node:util';

export interface LoadOptions {
  /** Target requests per second, all route classes together. Default 200. */
  rate: number;
  /** Seconds of measured traffic. Default 25. */
  durationSeconds: number;
  /** Seconds of unmeasured traffic first (half the rate, no abusive class), so modules are loaded and connections open. Default 3. */
  warmupSeconds: number;
  /** Signals seeded into the fresh database. Default 10,000. */
  signals: number;
  /** API keys at least (more when the keyed rate needs them to stay under the per-key limit). Default 10. */
  keys: number;
  /**
   * DB_POOL_MAX of the runtime. Default 8: the one local process stands for the several Lambda
   * containers (2 connections each, serverless.yml) that 200 req/s keeps busy at once; with 2 it
   * measures one container's pool queueing a whole service's traffic.
   */
  dbPoolMax: number;
  /**
   * RATE_LIMIT_REDIS_TIMEOUT_MS of the runtime; 0 = serverless.yml's (50 ms). On a busy 2-core box
   * the local bridge hop can exceed it where Upstash in the Lambda's region would not: raising it
   * shows the limiter on Redis alone.
   */
  redisTimeoutMs: number;
  /** Redis database the Upstash bridge uses, apart from the tests' (db 0). Default 9. */
  redisDb: number;
  /** Seed of the request sequence. Default 1. */
  seed: number;
}

const SETTINGS = {
  rate: { flag: 'rate', env: 'LOADTEST_RATE', fallback: 200, min: 1 },
  durationSeconds: { flag: 'duration', env: 'LOADTEST_DURATION_S', fallback: 25, min: 1 },
  warmupSeconds: { flag: 'warmup', env: 'LOADTEST_WARMUP_S', fallback: 3, min: 0 },
  signals: { flag: 'signals', env: 'LOADTEST_SIGNALS', fallback: 10_000, min: 100 },
  keys: { flag: 'keys', env: 'LOADTEST_KEYS', fallback: 10, min: 1 },
  dbPoolMax: { flag: 'db-pool-max', env: 'LOADTEST_DB_POOL_MAX', fallback: 8, min: 1 },
  redisTimeoutMs: { flag: 'redis-timeout-ms', env: 'LOADTEST_REDIS_TIMEOUT_MS', fallback: 0, min: 0 },
  redisDb: { flag: 'redis-db', env: 'LOADTEST_REDIS_DB', fallback: 9, min: 0 },
  seed: { flag: 'seed', env: 'LOADTEST_SEED', fallback: 1, min: 0 },
} as const;

export const USAGE = `npm run loadtest [-- --rate N] [--duration S] [--warmup S] [--signals N] [--keys N] [--db-pool-max N] [--redis-timeout-ms MS] [--redis-db N] [--seed N]
(or LOADTEST_RATE, LOADTEST_DURATION_S, LOADTEST_WARMUP_S, LOADTEST_SIGNALS, LOADTEST_KEYS, LOADTEST_DB_POOL_MAX, LOADTEST_REDIS_TIMEOUT_MS, LOADTEST_REDIS_DB, LOADTEST_SEED)`;

function integer(raw: string, name: string, min: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${String(min)}, got "${raw}"`);
  return value;
}

export function parseLoadOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): LoadOptions {
  const flags = Object.values(SETTINGS).map((setting) => setting.flag);
  const { values } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(flags.map((flag) => [flag, { type: 'string' as const }])),
    strict: true,
    allowPositionals: false,
  });
  const read = (flag: string, envName: string): string | undefined => {
    const fromFlag = values[flag];
    if (typeof fromFlag === 'string') return fromFlag;
    const fromEnv = env[envName];
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  };
  const value = (key: keyof typeof SETTINGS): number => {
    const setting = SETTINGS[key];
    const raw = read(setting.flag, setting.env);
    return raw === undefined ? setting.fallback : integer(raw, `--${setting.flag}`, setting.min);
  };
  return {
    rate: value('rate'),
    durationSeconds: value('durationSeconds'),
    warmupSeconds: value('warmupSeconds'),
    signals: value('signals'),
    keys: value('keys'),
    dbPoolMax: value('dbPoolMax'),
    redisTimeoutMs: value('redisTimeoutMs'),
    redisDb: value('redisDb'),
    seed: value('seed'),
  };
}
