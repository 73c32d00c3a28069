// Child process of middleware.ts: the real health handler (our middleware chain, access log
// included) against a bare Hono app with the same route body, both behind hono/aws-lambda.
import { Hono } from 'hono';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { handler } from '../../functions/health.js';
import { liveness } from '../../lib/health/live.js';
import { reportToParent } from './child.js';
import { benchLambdaContext, HEALTH_PATH, healthLiveEvent } from './fixtures.js';
import { interleave } from './stats.js';

export interface MiddlewareResult {
  /** Mean µs per call of the real handler. */
  realUs: number;
  /** Mean µs per call of the bare Hono baseline. */
  baselineUs: number;
}

const WARM_UP_CALLS = 2_000;
const ROUNDS = 4;
const CALLS_PER_ROUND = 5_000;

type Call = () => Promise<{ statusCode?: number }>;

const event = healthLiveEvent();
const context = benchLambdaContext();

const bare = new Hono();
bare.get(HEALTH_PATH, (c) => c.json(liveness()));
const bareHandler = handle(bare);

// Hono's event type differs from @types/aws-lambda's only in `body: string | null`.
const realCall: Call = () => handler(event, context);
const baselineCall: Call = () => bareHandler(event as unknown as LambdaEvent, context);

async function callsTake(call: Call, count: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    const result = await call();
    if (result.statusCode !== 200) throw new Error(`GET ${HEALTH_PATH} answered ${String(result.statusCode)}`);
  }
  return performance.now() - started;
}

await callsTake(realCall, WARM_UP_CALLS);
await callsTake(baselineCall, WARM_UP_CALLS);
let realMs = 0;
let baselineMs = 0;
await interleave(ROUNDS, [
  async () => void (realMs += await callsTake(realCall, CALLS_PER_ROUND)),
  async () => void (baselineMs += await callsTake(baselineCall, CALLS_PER_ROUND)),
]);
const calls = ROUNDS * CALLS_PER_ROUND;
reportToParent({ realUs: (realMs * 1000) / calls, baselineUs: (baselineMs * 1000) / calls } satisfies MiddlewareResult);
