// A minimal Upstash REST client: the handful of commands the rate limiter needs, in about 1 KB of
// bundle where @upstash/redis adds ~80 KB (its Redis class carries every command). Same protocol:
// `POST <url>` with the command as a JSON array and `Authorization: Bearer <token>`; HTTP 200
// `{"result": …}`, a failed command HTTP 400 `{"error": "<Redis message>"}`. No `Upstash-Encoding`
// header, so strings come back as plain JSON strings rather than base64. `POST <url>/pipeline`
// takes `[[cmd…],[cmd…]]` and answers one `{result}`/`{error}` per command (the topic vector cache).
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

/** One command's outcome in a pipeline: its result, or Redis's message when that command failed. */
export type PipelineOutcome<T = unknown> = { result: T } | { error: string };

export interface UpstashRest extends ScriptRunner {
  /**
   * Sends one command and resolves with its result. Rejects with UpstashError when Redis refuses
   * the command, UpstashRequestError when no answer arrives, and `signal.reason` once aborted.
   */
  command<T = unknown>(args: RedisArg[], signal?: AbortSignal): Promise<T>;
  /**
   * Sends several commands in one request (`POST <url>/pipeline`, not atomic) and resolves with one
   * outcome per command, in order: a failed command is an `{error}` there and does not fail the
   * others. Rejects like `command` when the request itself gets no answer (UpstashRequestError).
   */
  pipeline<T = unknown>(commands: RedisArg[][], signal?: AbortSignal): Promise<PipelineOutcome<T>[]>;
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

  const pipelineUrl = `${url.replace(/\/+$/, '')}/pipeline`;

  async function pipeline<T>(commands: RedisArg[][], signal?: AbortSignal): Promise<PipelineOutcome<T>[]> {
    if (commands.length === 0) return [];
    let status: number;
    let text: string;
    try {
      const response = await send(pipelineUrl, { method: 'POST', headers, body: JSON.stringify(commands), signal });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new UpstashRequestError(`Upstash pipeline failed: ${(error as Error).message}`, { cause: error });
    }
    const outcomes = parseOutcomes<T>(text, commands.length);
    if (status === 200 && outcomes !== undefined) return outcomes;
    const detail = parseBody(text)?.error;
    throw new UpstashRequestError(`Upstash pipeline answered HTTP ${status}: ${typeof detail === 'string' ? detail : text.slice(0, 200)}`, { status });
  }

  return {
    command,
    pipeline,
    evalsha: (sha, keys, args, signal) => command(['EVALSHA', sha, keys.length, ...keys, ...args], signal),
    eval: (script, keys, args, signal) => command(['EVAL', script, keys.length, ...keys, ...args], signal),
    scriptLoad: (script, signal) => command(['SCRIPT', 'LOAD', script], signal),
    ping: (signal) => command(['PING'], signal),
  };
}

/** A pipeline's answer: exactly one `{result}` or `{error}` per command sent, else undefined. */
function parseOutcomes<T>(text: string, count: number): PipelineOutcome<T>[] | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(body) || body.length !== count) return undefined;
  const outcomes: PipelineOutcome<T>[] = [];
  for (const item of body as unknown[]) {
    if (typeof item !== 'object' || item === null) return undefined;
    if ('result' in item) outcomes.push({ result: item.result as T });
    else if ('error' in item && typeof item.error === 'string') outcomes.push({ error: item.error });
    else return undefined;
  }
  return outcomes;
}

function parseBody(text: string): Record<string, unknown> | undefined {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
