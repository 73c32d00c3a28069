// This container's Redis client: `@upstash/redis` (Upstash's own REST client, the design's named
// stack), built once from config; undefined when Redis is not configured (local runs: the limiter
// keeps its buckets in memory, the job lock and the vector cache theirs).
//
// Code that uses Redis takes a narrow `Pick<Redis, …>` of it (ScriptRunner, LockRedis, …), so a
// test can hand in the real client with one method overridden to inject a failure.
//
// The client is configured for a time-budgeted caller: no retries (the library's default retries
// five times with back-off, which would outlive any budget), no auto-pipelining (it would hold a
// command for a microtask and merge unrelated ones; the limiter batches by itself), no telemetry
// headers, plain JSON replies (every value we store is ASCII), raw replies (no JSON.parse of
// strings). @upstash/redis takes no per-call AbortSignal, only a client-wide one; a function there
// is read as each request starts, which `abortable` uses to give every call its own signal.
// @upstash/redis (~80 KB minified, a few ms to evaluate) is imported on the first command, not at
// cold start: a function that serves its first request from the limiter pays it then, a probe or
// a job that never touches Redis never does.
import type { Redis } from '@upstash/redis';
import { getConfig } from '../config.js';

/** What runs the Lua scripts (the limiter's bucket, the lock's release); tests override a method. */
export type ScriptRunner = Pick<Redis, 'evalsha' | 'eval'>;

/** The commands production code sends, on a client that loads @upstash/redis on first use. */
export type AppRedis = Pick<Redis, 'evalsha' | 'eval' | 'set' | 'mget' | 'ping' | 'pipeline'>;

/** A command argument as the scripts take it. */
export type RedisArg = string | number;

let ambientSignal: AbortSignal | undefined;

/**
 * Runs `call` (one @upstash/redis command) with `signal` as its request's AbortSignal: once it
 * aborts, the request is cancelled and the call rejects with `signal.reason`. The client reads the
 * signal synchronously as the request starts, so it is set only for the duration of `call()`.
 * A client that is not ours (a test double) ignores it.
 */
export function abortable<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
  if (signal === undefined) return call();
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  ambientSignal = signal;
  try {
    return call();
  } finally {
    ambientSignal = undefined;
  }
}

export interface RedisClientOptions {
  /** REST endpoint (UPSTASH_REDIS_REST_URL). */
  url: string;
  /** REST token (UPSTASH_REDIS_REST_TOKEN). */
  token: string;
}

/** The @upstash/redis client itself, set up for our callers (see the header). */
export async function connectRedis(options: RedisClientOptions): Promise<Redis> {
  const { Redis: UpstashRedis } = await import('@upstash/redis');
  return new UpstashRedis({
    url: options.url,
    token: options.token,
    retry: { retries: 0 },
    enableAutoPipelining: false,
    enableTelemetry: false,
    responseEncoding: false,
    automaticDeserialization: false,
    // Undefined outside `abortable`: fetch takes no signal then (the type wants one).
    signal: () => ambientSignal as AbortSignal,
  });
}

type Method = (...args: unknown[]) => unknown;

/**
 * The same client behind `AppRedis`, loading @upstash/redis on the first command. Until it is
 * loaded a command waits for the import (and keeps its `abortable` signal); after, it is a plain
 * synchronous call into the client. A pipeline built before the load records its commands and
 * replays them on `exec`.
 */
export function createRedis(options: RedisClientOptions): AppRedis {
  let client: Redis | undefined;
  let loading: Promise<Redis> | undefined;
  const load = (): Promise<Redis> =>
    (loading ??= connectRedis(options).then((loaded) => (client = loaded)));
  const command =
    (name: 'evalsha' | 'eval' | 'set' | 'mget' | 'ping') =>
    (...args: unknown[]): Promise<unknown> => {
      // @upstash/redis's methods are typed per command; they are forwarded here as they came.
      if (client !== undefined) return (client[name] as Method)(...args) as Promise<unknown>;
      const signal = ambientSignal;
      return load().then((redis) => abortable(signal, () => (redis[name] as Method)(...args) as Promise<unknown>));
    };
  const pipeline = (): unknown => {
    if (client !== undefined) return client.pipeline();
    const recorded: Array<[string, unknown[]]> = [];
    const recorder: Record<string, Method> = new Proxy({}, {
      get: (_target, name: string) => {
        if (name === 'exec') {
          return (...execArgs: unknown[]) =>
            load().then((redis) => {
              const real = redis.pipeline() as unknown as Record<string, Method>;
              for (const [recordedName, args] of recorded) (real[recordedName] as Method)(...args);
              return (real.exec as Method)(...execArgs);
            });
        }
        return (...args: unknown[]) => {
          recorded.push([name, args]);
          return recorder;
        };
      },
    });
    return recorder;
  };
  // The casts: each entry forwards to the method of the same name, with its own signature.
  return {
    evalsha: command('evalsha'),
    eval: command('eval'),
    set: command('set'),
    mget: command('mget'),
    ping: command('ping'),
    pipeline,
  } as unknown as AppRedis;
}

let client: AppRedis | null | undefined;

export function defaultRedis(): AppRedis | undefined {
  if (client === undefined) {
    const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token } = getConfig();
    client = url !== undefined && token !== undefined ? createRedis({ url, token }) : null;
  }
  return client ?? undefined;
}

/** Forgets the client (tests that change config). */
export function resetDefaultRedis(): void {
  client = undefined;
}

/** Whether Redis answered NOSCRIPT: the script is not cached (fresh or flushed); EVAL it instead. */
export function isNoScript(error: unknown): boolean {
  return error instanceof Error && /\bNOSCRIPT\b/.test(error.message);
}
