// One "Lambda container" of the limiter fault tests and bench: a process of its own (its own
// event loop, its own memory fallback) holding one RateLimiter on @upstash/redis, set up as the
// deployed functions set it up (default budget and fallback share unless told otherwise). The
// parent (limiter-containers.ts) sends bursts; for each, the child fires `requests` concurrent
// decisions on one bucket and reports what it admitted and how long the decisions took.
import { getConfig } from '../../lib/config.js';
import { RateLimiter } from '../../lib/ratelimit/limiter.js';
import { RedisStore } from '../../lib/ratelimit/redis-store.js';
import { createRedis } from '../../lib/redis/client.js';

export interface Burst {
  /** The Redis REST URL to use for this burst (the bridge, a delaying proxy, a black hole). */
  url: string;
  token: string;
  keyPrefix: string;
  /** The client (one anonymous IP) every request of every container comes from. */
  identifier: string;
  requests: number;
  capacity: number;
  /** This container's clock lead over the real one, ms. */
  clockOffsetMs: number;
  /** Undefined: the config's default (RATE_LIMIT_REDIS_TIMEOUT_MS, 50). */
  timeoutMs?: number;
}

export interface BurstResult {
  admitted: number;
  reasons: Record<string, number>;
  /** Decision times, ms, sorted. */
  decisionMs: number[];
}

process.on('message', (message: Burst) => {
  void burst(message).then((result) => process.send?.(result));
});
process.send?.('ready');

/** How long the container's init may take before its first invocation (Lambda's init phase). */
const INIT_MS = 1_000;

async function burst(options: Burst): Promise<BurstResult> {
  const now = (): number => Date.now() + options.clockOffsetMs;
  const redis = createRedis({ url: options.url, token: options.token });
  // Set up as lib/ratelimit/default-limiter.ts does in a deployed container: a warm-up PING at
  // init (the connection opened before the first request) and the cold-start budget for a first
  // call that still finds it unopened.
  const warmUp = redis.ping();
  const limiter = new RateLimiter({
    store: new RedisStore({ runner: redis }),
    limits: { anonymous: options.capacity, api_key: 1_000, premium: 5_000 },
    keyPrefix: options.keyPrefix,
    now,
    coldStartTimeoutMs: getConfig().RATE_LIMIT_COLD_START_TIMEOUT_MS,
    warmUp: () => warmUp,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  // Lambda runs init before the first invocation, within its own time limit.
  await Promise.race([warmUp.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, INIT_MS))]);
  const timed = await Promise.all(
    Array.from({ length: options.requests }, async () => {
      const started = performance.now();
      const decision = await limiter.check(options.identifier, 'anonymous');
      return { decision, ms: performance.now() - started };
    }),
  );
  const reasons: Record<string, number> = {};
  for (const { decision } of timed) reasons[decision.reason] = (reasons[decision.reason] ?? 0) + 1;
  return {
    admitted: timed.filter(({ decision }) => decision.allowed).length,
    reasons,
    decisionMs: timed.map(({ ms }) => ms).sort((a, b) => a - b),
  };
}
