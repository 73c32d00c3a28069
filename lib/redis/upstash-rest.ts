// A minimal Upstash REST client: the handful of commands the rate limiter needs, in about 1 KB of
// bundle where @upstash/redis adds ~80 KB (its Redis class carries every command). Same protocol:
// `POST <url>` with the command as a JSON array and `Authorization: Bearer <token>`; HTTP 200
// `{"result": …}`, a failed command HTTP 400 `{"error": "<Redis message>"}`. No `Upstash-Encoding`
// header, so strings come back as plain JSON strings rather than base64.
import { UpstashError, UpstashRequestError } from './errors.js';

/** A command argument; numbers go over the wire as JSON numbers, which Upstash accepts. */
export type RedisArg = string | number;

/**
 * What runs a Lua script. Both this client and an adapter over @upstash/redis satisfy it, so a
 * store can be tested through either and a test can override one method to inject a failure.
 */
export interface ScriptRunner {
  /** `EVALSHA`; rejects with an error whose message contains `NOSCRIPT` when Redis lacks the script. */
  evalsha<T = unknown>(sha: string, keys: string[], args: RedisArg[], signal?: AbortSignal): Promise<T>;
  /** `EVAL`; also caches the script, so the next `EVALSHA` of its SHA1 succeeds. */
  eval<T = unknown>(script: string, keys: string[], args: RedisArg[], signal?: AbortSignal): Promise<T>;
}

export interface UpstashRest extends ScriptRunner {
  /**
   * Sends one command and resolves with its result. Rejects with UpstashError when Redis refuses
   * the command, UpstashRequestError when no answer arrives, and `signal.reason` once aborted.
   */
  command<T = unknown>(args: RedisArg[], signal?: AbortSignal): Promise<T>;
  /** `SCRIPT LOAD`: caches a script and resolves with its SHA1. */
  scriptLoad(script: string, signal?: AbortSignal): Promise<string>;
  /** `PING`: resolves with `PONG`. */
  ping(signal?: AbortSignal): Promise<string>;
}

export interface UpstashRestOptions {
  /** REST endpoint (UPSTASH_REDIS_REST_URL), e.g. `https://eu1-example.upstash.io`. */
  url: string;
  /** REST token (UPSTASH_REDIS_REST_TOKEN), sent as `Authorization: Bearer <token>`. */
  token: string;
  /** The fetch to use. Default: the global `fetch`. */
  fetch?: typeof fetch;
}

export function createUpstashRest(options: UpstashRestOptions): UpstashRest {
  const { url } = options;
  const send = options.fetch ?? fetch;
  const headers = { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' };

  async function command<T>(args: RedisArg[], signal?: AbortSignal): Promise<T> {
    const name = String(args[0]);
    let status: number;
    let text: string;
    try {
      const response = await send(url, { method: 'POST', headers, body: JSON.stringify(args), signal });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason; // the caller's budget ran out: its reason, as fetch does
      throw new UpstashRequestError(`Upstash ${name} failed: ${(error as Error).message}`, { cause: error });
    }
    const body = parseBody(text);
    if (status === 200 && body !== undefined && 'result' in body) return body.result as T;
    if (status === 400 && typeof body?.error === 'string') throw new UpstashError(body.error);
    const detail = typeof body?.error === 'string' ? body.error : text.slice(0, 200);
    throw new UpstashRequestError(`Upstash ${name} answered HTTP ${status}: ${detail}`, { status });
  }

  return {
    command,
    evalsha: (sha, keys, args, signal) => command(['EVALSHA', sha, keys.length, ...keys, ...args], signal),
    eval: (script, keys, args, signal) => command(['EVAL', script, keys.length, ...keys, ...args], signal),
    scriptLoad: (script, signal) => command(['SCRIPT', 'LOAD', script], signal),
    ping: (signal) => command(['PING'], signal),
  };
}

function parseBody(text: string): Record<string, unknown> | undefined {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
