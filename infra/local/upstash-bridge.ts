// A local stand-in for Upstash's REST API in front of a real Redis, so the real `@upstash/redis`
// client and our real Lua scripts run unchanged against the machine's Redis in tests and locally.
//
// Protocol, read off @upstash/redis 1.39: `POST /` with a JSON command `["SET","k","v"]` →
// `{"result": …}`; `POST /pipeline` and `POST /multi-exec` with an array of commands → an array of
// `{"result"}` / `{"error"}` (auto-pipelining is on by default, so the client uses these a lot).
// `Authorization: Bearer <token>` or 401. A failed command is HTTP 400 `{"error": "<Redis message>"}`.
// The client sends `Upstash-Encoding: base64` by default and then base64-decodes every string in
// the result. The path form `/set/k/v` (GET or POST) is accepted as on Upstash; the client itself
// only uses it for SUBSCRIBE, which this bridge does not serve.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Command, Redis } from 'ioredis';
import {
  BadRequestError,
  ScriptShaMap,
  parseJson,
  pathToCommand,
  toCommand,
  toCommandList,
  toJsonReply,
  type RedisCommand,
} from './upstash-protocol.js';

export interface UpstashBridge {
  /** Base URL for `new Redis({ url, token })`, e.g. `http://127.0.0.1:34567`. */
  url: string;
  /** The bearer token the bridge accepts. */
  token: string;
  /** Stops listening, drops open connections and disconnects from Redis. */
  close(): Promise<void>;
}

export interface UpstashBridgeOptions {
  /** The Redis every command goes to. Default: `redis://127.0.0.1:6379`. */
  redisUrl?: string;
  /** Bearer token clients must send. */
  token: string;
  /** Interface to listen on. Default: `127.0.0.1`. */
  host?: string;
  /** Port to listen on. Default: `0`, a free port chosen by the OS. */
  port?: number;
}

// Every request shares one Redis connection, so commands that change its state or block it would
// leak into other requests. Transactions go through `/multi-exec` instead.
const REFUSED_COMMANDS = new Set([
  ...['multi', 'exec', 'discard', 'watch', 'unwatch', 'select', 'auth', 'hello', 'reset', 'quit', 'client'],
  ...['subscribe', 'psubscribe', 'ssubscribe', 'monitor', 'wait', 'waitaof'],
  ...['blpop', 'brpop', 'brpoplpush', 'blmove', 'blmpop', 'bzpopmin', 'bzpopmax', 'bzmpop'],
]);

/** Skips ioredis's per-command reply transformers (HGETALL → object …): Upstash returns Redis's own shapes. */
class RawCommand extends Command {
  override transformReply(result: Buffer | Buffer[]): Buffer | Buffer[] {
    return result;
  }
}

type Outcome = { result: unknown } | { error: string };

/** A command ready for Redis, plus the reply to return instead of Redis's (see ScriptShaMap). */
interface Prepared {
  command: RawCommand;
  reply?: string;
}

export async function startUpstashBridge(options: UpstashBridgeOptions): Promise<UpstashBridge> {
  const host = options.host ?? '127.0.0.1';
  const redisUrl = options.redisUrl ?? 'redis://127.0.0.1:6379';
  // RESP2 explicitly: ioredis 6 defaults to RESP3, whose reply shapes are not what Upstash returns.
  const redis = new Redis(redisUrl, { protocol: 2, lazyConnect: true });
  // Connection errors reach the callers as failed commands; the listener keeps the latest for the
  // startup message (connect() itself only says "Connection is closed").
  let connectionError: Error | undefined;
  redis.on('error', (error: Error) => {
    connectionError = error;
  });
  await redis.connect().catch((error: unknown) => {
    redis.disconnect(); // else ioredis keeps retrying and the process never exits
    const reason = connectionError?.message ?? message(error);
    throw new Error(`Redis is not reachable at ${new URL(redisUrl).host}: ${reason}`, { cause: error });
  });
  const scripts = new ScriptShaMap();

  function prepare(command: RedisCommand): Prepared {
    if (REFUSED_COMMANDS.has(command[0].toLowerCase())) {
      throw new BadRequestError(`ERR command '${command[0]}' is not supported by the bridge`);
    }
    const { command: [name, ...args], reply } = scripts.prepare(command);
    return { command: new RawCommand(name.toLowerCase(), args), reply };
  }

  // Async, so a refused command becomes a rejection; the command is still written synchronously.
  async function run(command: RedisCommand): Promise<unknown> {
    const { command: raw, reply } = prepare(command);
    const result = await redis.sendCommand(raw);
    return reply ?? result;
  }

  async function transaction(commands: RedisCommand[]): Promise<Outcome[]> {
    const prepared = commands.map(prepare); // refuse before anything is sent
    // MULTI, the commands and EXEC are written in one tick on the shared connection, so no other
    // request's command can land inside the transaction.
    const queued = [new RawCommand('multi'), ...prepared.map((p) => p.command)].map((c) => redis.sendCommand(c));
    // Queue-time errors (unknown command, wrong arity) make EXEC fail with EXECABORT, which is what
    // the caller gets; the QUEUED replies are awaited only so that no rejection goes unhandled.
    const [, replies] = await Promise.all([Promise.allSettled(queued), redis.sendCommand(new RawCommand('exec'))]);
    return (replies as unknown[]).map((reply, i) =>
      reply instanceof Error ? { error: reply.message } : { result: prepared[i]?.reply ?? reply },
    );
  }

  async function route(req: IncomingMessage, body: string): Promise<Outcome | Outcome[]> {
    const { pathname } = new URL(req.url ?? '/', 'http://bridge.invalid');
    if (pathname === '/multi-exec') return transaction(toCommandList(parseJson(body)));
    if (pathname === '/pipeline') {
      const settled = await Promise.allSettled(toCommandList(parseJson(body)).map(run));
      return settled.map((s) => (s.status === 'fulfilled' ? { result: s.value } : { error: message(s.reason) }));
    }
    const command = pathname === '/' ? toCommand(parseJson(body)) : pathToCommand(pathname, body);
    return { result: await run(command) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const respond = (status: number, payload: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    };
    if (req.headers.authorization !== `Bearer ${options.token}`) return respond(401, { error: 'Unauthorized' });
    // Only results are encoded: the client decodes `result` and passes `error` through as is.
    const base64 = req.headers['upstash-encoding'] === 'base64';
    const encode = (outcome: Outcome): Outcome =>
      'result' in outcome ? { result: toJsonReply(outcome.result, base64) } : outcome;
    try {
      const outcome = await route(req, await readBody(req));
      respond(200, Array.isArray(outcome) ? outcome.map(encode) : encode(outcome));
    } catch (error) {
      // Redis's messages are part of the API (clients match on NOSCRIPT, WRONGTYPE …). Anything
      // else is shown too rather than hidden behind a bare 500: this is a local development tool.
      const clientError = error instanceof BadRequestError || (error as Error).name === 'ReplyError';
      respond(clientError ? 400 : 500, { error: message(error) });
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    redis.disconnect(); // e.g. the port is taken
    throw error;
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}`,
    token: options.token,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The client's fetch keeps connections alive; without this close() would wait for them.
        server.closeAllConnections();
      });
      await redis.quit();
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// CLI for local development: `tsx infra/local/upstash-bridge.ts`. A dev tool, so it reads its
// settings straight from the environment rather than through lib/config.ts.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const token = process.env.UPSTASH_BRIDGE_TOKEN;
  if (!token) throw new Error('UPSTASH_BRIDGE_TOKEN must be set: the token clients send as `Bearer <token>`');
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const bridge = await startUpstashBridge({ token, redisUrl, port: Number(process.env.UPSTASH_BRIDGE_PORT ?? 8079) });
  console.log(JSON.stringify({ message: 'upstash-bridge listening', url: bridge.url, redis: new URL(redisUrl).host }));
  const stop = (): void => void bridge.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
