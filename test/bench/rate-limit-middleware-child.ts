// Child process of rate-limit.ts, the middleware part: what the rate-limit middleware adds to a warm
// invocation. The same app (createApp, a trivial route) with and without a memory-store limiter,
// both behind httpFunction's Lambda handler and fed the same API Gateway event. The anonymous limit is lifted so
// nothing is refused: the one client address takes a token on every call.
import { httpFunction, type App, type LambdaHttpHandler } from '../../lib/http/index.js';
import { RateLimiter } from '../../lib/ratelimit/limiter.js';
import { reportToParent } from './child.js';
import { benchLambdaContext, getEvent } from './fixtures.js';
import { interleave } from './stats.js';

export interface RateLimitMiddlewareResult {
  /** Mean µs per call with the rate-limit middleware. */
  limitedUs: number;
  /** Mean µs per call of the same app without it. */
  baselineUs: number;
}

const PATH = '/bench/ping';
const WARM_UP_CALLS = 2_000;
const ROUNDS = 8;
const CALLS_PER_ROUND = 2_500;
const LIFTED = 100_000_000;

function benchHandler(limiter: RateLimiter | undefined): LambdaHttpHandler {
  const mount = (app: App): void => void app.get(PATH, (c) => c.json({ ok: true }));
  return httpFunction('rate-limit-bench', mount, limiter === undefined ? {} : { limiter: () => limiter });
}

const limiter = new RateLimiter({ limits: { anonymous: LIFTED, api_key: LIFTED, premium: LIFTED } });
const limited = benchHandler(limiter);
const baseline = benchHandler(undefined);
const event = getEvent(PATH, PATH);
const context = benchLambdaContext('rate-limit-bench');

/** Runs `count` calls; the limited side must have been decided (headers), and neither refused. */
async function callsTake(handler: LambdaHttpHandler, count: number, expectLimitHeaders: boolean): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    const result = await handler(event, context);
    if (result.statusCode !== 200) throw new Error(`GET ${PATH} answered ${String(result.statusCode)}: ${result.body ?? ''}`);
    if ((result.headers?.['x-ratelimit-remaining'] !== undefined) !== expectLimitHeaders) {
      throw new Error(`GET ${PATH}: X-RateLimit-Remaining ${expectLimitHeaders ? 'missing' : 'unexpected'}`);
    }
  }
  return performance.now() - started;
}

await callsTake(limited, WARM_UP_CALLS, true);
await callsTake(baseline, WARM_UP_CALLS, false);
let limitedMs = 0;
let baselineMs = 0;
await interleave(ROUNDS, [
  async () => void (limitedMs += await callsTake(limited, CALLS_PER_ROUND, true)),
  async () => void (baselineMs += await callsTake(baseline, CALLS_PER_ROUND, false)),
]);
const calls = ROUNDS * CALLS_PER_ROUND;
reportToParent({
  limitedUs: (limitedMs * 1000) / calls,
  baselineUs: (baselineMs * 1000) / calls,
} satisfies RateLimitMiddlewareResult);
