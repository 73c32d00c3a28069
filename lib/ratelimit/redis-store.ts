// The Redis token store: one EVALSHA of the token-bucket script per call, shared by every
// container, exact under any concurrency because the script is atomic. A call decides a whole
// batch (the limiter coalesces a container's concurrent requests for a bucket into one), so a
// burst costs one round trip and four billed commands, not one call per request. EVAL only when
// Redis answers NOSCRIPT (a fresh or flushed script cache); EVAL caches the script, so the next
// call is an EVALSHA again.
//
// Keys are used as given: the limiter builds them with bucket-key.ts (identifier hashed, prefix
// included), so no raw IP or key id ever reaches Redis.
import { abortable, isNoScript, type RedisArg, type ScriptRunner } from '../redis/client.js';
import { RETRY_NEVER_MS } from './memory-store.js';
import { TOKEN_BUCKET_SCRIPT, TOKEN_BUCKET_SHA1 } from './token-bucket.lua.js';
import type { BatchDecision, BucketSpec, StoreDecision, TokenStore } from './types.js';

export interface RedisStoreOptions {
  /** Runs the script: this container's @upstash/redis client (lib/redis/client.ts) in production. */
  runner: ScriptRunner;
  /** The caller's clock in epoch ms, sent to the script (which reads no clock). Default `Date.now`. */
  now?: () => number;
}

export class RedisStore implements TokenStore {
  readonly #runner: ScriptRunner;
  readonly #now: () => number;
  #roundTrips = 0;

  constructor(options: RedisStoreOptions) {
    this.#runner = options.runner;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Script calls sent so far, EVALSHA and EVAL alike: one per call, two for a call that met
   * NOSCRIPT. Each is one HTTP request to Upstash.
   */
  get roundTrips(): number {
    return this.#roundTrips;
  }

  /**
   * One request of `cost` tokens: `takeBatch` with a count of 1. A `cost` above the capacity can
   * never be taken: the decision is a refusal with `retryAfterMs` = RETRY_NEVER_MS, as from every
   * store.
   */
  async take(key: string, bucket: BucketSpec, cost: number, signal?: AbortSignal, nowMs = this.#now()): Promise<StoreDecision> {
    const batch = await this.takeBatch(key, bucket, cost, 1, nowMs, signal);
    return {
      allowed: batch.granted === 1,
      limit: batch.limit,
      remaining: batch.remaining,
      resetAtMs: batch.resetAtMs,
      retryAfterMs: batch.retryAfterMs,
    };
  }

  /**
   * Grants the first of `count` requests of `cost` tokens each that the bucket holds, at the
   * caller's clock `nowMs`. Rejects with the client's error (or `signal.reason` once aborted) for
   * the limiter to fall back on.
   */
  takeBatch(key: string, bucket: BucketSpec, cost: number, count: number, nowMs: number, signal?: AbortSignal): Promise<BatchDecision> {
    checkArguments(bucket, cost, count, nowMs);
    return this.#run(key, [bucket.capacity, bucket.refillPerSecond, Math.floor(nowMs), cost, count], bucket.capacity, signal);
  }

  /**
   * Settles a call that timed out but ran: takes `tokens` whatever the bucket holds (a debt down to
   * -capacity, repaid by the refill), or gives -`tokens` back (up to the capacity).
   */
  async settle(key: string, bucket: BucketSpec, tokens: number, nowMs: number, signal?: AbortSignal): Promise<void> {
    checkArguments(bucket, Math.abs(tokens), 1, nowMs);
    if (tokens === 0) return;
    await this.#run(key, [bucket.capacity, bucket.refillPerSecond, Math.floor(nowMs), tokens, 0], bucket.capacity, signal);
  }

  async #run(key: string, args: RedisArg[], capacity: number, signal: AbortSignal | undefined): Promise<BatchDecision> {
    const keys = [key];
    let reply: unknown;
    try {
      this.#roundTrips += 1;
      reply = await abortable(signal, () => this.#runner.evalsha(TOKEN_BUCKET_SHA1, keys, args));
    } catch (error) {
      if (!isNoScript(error)) throw error;
      this.#roundTrips += 1;
      reply = await abortable(signal, () => this.#runner.eval(TOKEN_BUCKET_SCRIPT, keys, args));
    }
    return toBatchDecision(reply, capacity);
  }
}

function checkArguments(bucket: BucketSpec, cost: number, count: number, nowMs: number): void {
  const positive = (value: number): boolean => Number.isFinite(value) && value > 0;
  if (!positive(bucket.capacity) || !positive(bucket.refillPerSecond)) {
    throw new RangeError(`a bucket needs a positive capacity and refill, got ${bucket.capacity} and ${bucket.refillPerSecond}/s`);
  }
  if (!Number.isFinite(cost) || cost < 0) throw new RangeError(`cost must be a finite number ≥ 0, got ${cost}`);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  if (!Number.isFinite(nowMs) || nowMs < 0) throw new RangeError(`now must be an epoch ms, got ${nowMs}`);
}

function toBatchDecision(reply: unknown, capacity: number): BatchDecision {
  if (!Array.isArray(reply) || reply.length !== 4 || !reply.every((n) => Number.isInteger(n))) {
    throw new TypeError(`unexpected token-bucket reply: ${JSON.stringify(reply)}`);
  }
  const [granted, remaining, resetAtMs, retryAfterMs] = reply as [number, number, number, number];
  return {
    granted,
    limit: capacity,
    remaining,
    resetAtMs,
    retryAfterMs: retryAfterMs < 0 ? RETRY_NEVER_MS : retryAfterMs, // the script's -1: never
  };
}
