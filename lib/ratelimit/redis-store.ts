// The Redis token store: one EVALSHA of the token-bucket script per decision, shared by every
// container, exact under any concurrency because the script is atomic. EVAL only when Redis
// answers NOSCRIPT (a fresh or flushed script cache); EVAL caches the script, so the next call is
// an EVALSHA again.
//
// Keys are used as given: the limiter builds them with bucket-key.ts (identifier hashed, prefix
// included), so no raw IP or key id ever reaches Redis.
import type { RedisArg, ScriptRunner } from '../redis/upstash-rest.js';
import { RETRY_NEVER_MS } from './memory-store.js';
import { TOKEN_BUCKET_SCRIPT, TOKEN_BUCKET_SHA1 } from './token-bucket.lua.js';
import type { BucketSpec, StoreDecision, TokenStore } from './types.js';

export interface RedisStoreOptions {
  /** Runs the script: `createUpstashRest(…)` in production, or any client with evalsha and eval. */
  runner: ScriptRunner;
}

export class RedisStore implements TokenStore {
  readonly #runner: ScriptRunner;
  #roundTrips = 0;

  constructor(options: RedisStoreOptions) {
    this.#runner = options.runner;
  }

  /**
   * Script calls sent so far, EVALSHA and EVAL alike: one per decision, two for a decision that
   * met NOSCRIPT. With our Upstash client each is one HTTP request.
   */
  get roundTrips(): number {
    return this.#roundTrips;
  }

  /**
   * Takes `cost` tokens at Redis's clock. A `cost` above the capacity can never be taken: the
   * decision is a refusal with `retryAfterMs` = RETRY_NEVER_MS, as from every store. Rejects with
   * the runner's error (or `signal.reason` once aborted) for the limiter to fall back on.
   */
  async take(key: string, bucket: BucketSpec, cost: number, signal?: AbortSignal): Promise<StoreDecision> {
    checkArguments(bucket, cost);
    const keys = [key];
    const args: RedisArg[] = [bucket.capacity, bucket.refillPerSecond, cost];
    let reply: unknown;
    try {
      this.#roundTrips += 1;
      reply = await this.#runner.evalsha(TOKEN_BUCKET_SHA1, keys, args, signal);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      this.#roundTrips += 1;
      reply = await this.#runner.eval(TOKEN_BUCKET_SCRIPT, keys, args, signal);
    }
    return toDecision(reply, bucket.capacity);
  }
}

function checkArguments(bucket: BucketSpec, cost: number): void {
  const positive = (value: number): boolean => Number.isFinite(value) && value > 0;
  if (!positive(bucket.capacity) || !positive(bucket.refillPerSecond)) {
    throw new RangeError(
      `a bucket needs a positive capacity and refill, got ${bucket.capacity} and ${bucket.refillPerSecond}/s`,
    );
  }
  if (!Number.isFinite(cost) || cost < 0) throw new RangeError(`cost must be a finite number ≥ 0, got ${cost}`);
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && /\bNOSCRIPT\b/.test(error.message);
}

function toDecision(reply: unknown, capacity: number): StoreDecision {
  if (!Array.isArray(reply) || reply.length !== 4 || !reply.every((n) => Number.isInteger(n))) {
    throw new TypeError(`unexpected token-bucket reply: ${JSON.stringify(reply)}`);
  }
  const [allowed, remaining, resetAtMs, retryAfterMs] = reply as [number, number, number, number];
  return {
    allowed: allowed === 1,
    limit: capacity,
    remaining,
    resetAtMs,
    retryAfterMs: retryAfterMs < 0 ? RETRY_NEVER_MS : retryAfterMs, // the script's -1: never
  };
}
