// The pure half of the Upstash REST bridge: request parsing, reply encoding and the Lua shebang
// rewrite. No I/O here, so every rule can be read (and tested) without a server or a Redis.
import { createHash } from 'node:crypto';

/** A Redis command as sent to the server: name first, every argument already a string. */
export type RedisCommand = [string, ...string[]];

/** A request the bridge cannot turn into a command; answered with HTTP 400 and its message. */
export class BadRequestError extends Error {
  override name = 'BadRequestError';
}

/** Parses a JSON body; a syntax error becomes a BadRequestError with the parser's message. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new BadRequestError(`Invalid JSON body: ${(error as Error).message}`, { cause: error });
  }
}

/** `["SET", "k", 1]` → `['SET', 'k', '1']`: Redis only knows strings, so numbers are stringified. */
export function toCommand(value: unknown): RedisCommand {
  if (!Array.isArray(value) || value.length === 0) {
    throw new BadRequestError('A command must be a non-empty JSON array');
  }
  const parts = value.map((part: unknown) => {
    if (typeof part === 'string') return part;
    if (typeof part === 'number' || typeof part === 'boolean') return String(part);
    throw new BadRequestError(`Command arguments must be strings or numbers, got ${JSON.stringify(part)}`);
  });
  const [name, ...args] = parts as RedisCommand;
  return [name, ...args];
}

/** The body of `/pipeline` and `/multi-exec`: a non-empty array of commands. */
export function toCommandList(value: unknown): RedisCommand[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new BadRequestError('A pipeline must be a non-empty JSON array of commands');
  }
  return value.map(toCommand);
}

/**
 * Path form, `/set/k/v` → `['set', 'k', 'v']` (segments URL-decoded). As on Upstash, a non-empty
 * POST body is the last argument, so a large value need not fit in the URL.
 */
export function pathToCommand(pathname: string, body: string): RedisCommand {
  const segments = pathname.split('/').filter((segment) => segment !== '');
  let decoded: string[];
  try {
    decoded = segments.map(decodeURIComponent);
  } catch (error) {
    throw new BadRequestError(`Invalid URL encoding in ${pathname}`, { cause: error });
  }
  return toCommand(body === '' ? decoded : [...decoded, body]);
}

/**
 * A raw ioredis reply (Buffers, numbers, null, nested arrays) as JSON. With `Upstash-Encoding:
 * base64` the client base64-decodes every string it gets back, so every string is sent encoded;
 * encoding the Buffer itself also keeps non-UTF-8 bytes intact.
 */
export function toJsonReply(reply: unknown, base64: boolean): unknown {
  if (Buffer.isBuffer(reply)) return reply.toString(base64 ? 'base64' : 'utf8');
  if (typeof reply === 'string') return base64 ? Buffer.from(reply).toString('base64') : reply;
  if (Array.isArray(reply)) return reply.map((item) => toJsonReply(item, base64));
  return reply ?? null;
}

export function sha1Hex(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

// The script flags Redis 7.0 understands; a newer flag makes it refuse the whole script
// ("Unexpected flag in script shebang"). https://redis.io/docs/latest/develop/programmability/lua-api/
const SUPPORTED_SCRIPT_FLAGS = new Set(['no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys']);

/**
 * Drops the shebang options this Redis would reject and keeps the rest, so `no-writes` is still
 * enforced. The line stays (as `#!lua`, possibly without flags) to keep Lua error line numbers and
 * shebang semantics. Scripts this Redis accepts come back unchanged, same string.
 */
export function withSupportedShebang(script: string): string {
  if (!script.startsWith('#!')) return script; // Redis only reads a shebang at offset 0
  const lineEnd = script.indexOf('\n');
  const firstLine = lineEnd === -1 ? script : script.slice(0, lineEnd);
  const [engine, ...options] = firstLine.split(/\s+/).filter(Boolean);
  if (engine !== '#!lua') return script; // another engine: leave the error to Redis
  // Options other than `flags=` (e.g. a function's `name=`) count as unsupported tokens too.
  const tokens = options.flatMap((option) =>
    option.startsWith('flags=') ? option.slice('flags='.length).split(',').filter(Boolean) : [option],
  );
  const kept = tokens.filter((flag) => SUPPORTED_SCRIPT_FLAGS.has(flag));
  if (kept.length === tokens.length) return script;
  const shebang = kept.length > 0 ? `#!lua flags=${kept.join(',')}` : '#!lua';
  return shebang + (lineEnd === -1 ? '' : script.slice(lineEnd));
}

/**
 * Keeps the caller's SHA1s valid for scripts whose shebang was rewritten: clients hash the text
 * they sent, Redis hashes the text it got. Learns original → rewritten on EVAL and SCRIPT LOAD and
 * translates EVALSHA and SCRIPT EXISTS. An unknown SHA1 passes through, so Redis still answers
 * NOSCRIPT and the client falls back to EVAL.
 */
export class ScriptShaMap {
  readonly #serverSha = new Map<string, string>();

  /** The command to send, plus the reply to return instead of Redis's (SCRIPT LOAD's SHA1). */
  prepare(command: RedisCommand): { command: RedisCommand; reply?: string } {
    const [name, first, ...rest] = command;
    if (first === undefined) return { command };
    switch (name.toLowerCase()) {
      case 'eval':
      case 'eval_ro':
        return { command: [name, this.#learn(first), ...rest] };
      case 'evalsha':
      case 'evalsha_ro':
        return { command: [name, this.#translate(first), ...rest] };
      case 'script': {
        const [script, ...extra] = rest;
        const sub = first.toLowerCase();
        if (sub === 'load' && script !== undefined) {
          return { command: [name, first, this.#learn(script), ...extra], reply: sha1Hex(script) };
        }
        if (sub === 'exists') return { command: [name, first, ...rest.map((sha) => this.#translate(sha))] };
        return { command };
      }
      default:
        return { command };
    }
  }

  #learn(script: string): string {
    const rewritten = withSupportedShebang(script);
    if (rewritten !== script) this.#serverSha.set(sha1Hex(script), sha1Hex(rewritten));
    return rewritten;
  }

  #translate(sha: string): string {
    return this.#serverSha.get(sha.toLowerCase()) ?? sha;
  }
}
