// Our @upstash/redis set-up against the real Redis through the upstash-bridge: the answers the
// limiter, the lock and the vector cache rely on come back as Upstash sends them, a call is
// cancelled by its own AbortSignal (against a server that accepts and never answers), and nothing
// is retried behind the caller's back. Keys live under a random prefix.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstashBridge, type UpstashBridge } from '../../../../infra/local/upstash-bridge.js';
import { abortable, connectRedis, createRedis, isNoScript } from '../../../../lib/redis/client.js';
import { services } from '../../../support/services.js';

const prefix = `test:redis-client:${randomUUID()}:`;
const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

let bridge: UpstashBridge;
let blackHole: Server;
let blackHoleUrl: string;
const accepted: Socket[] = [];
const closed = new Set<Socket>();

beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: services.redisUrl, token: randomUUID() });
  blackHole = createServer((socket) => {
    // Reads, never answers.
    accepted.push(socket);
    socket.resume();
    socket.once('close', () => closed.add(socket));
    socket.once('end', () => closed.add(socket));
  });
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  blackHoleUrl = `http://127.0.0.1:${String((blackHole.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  await (await connectRedis({ url: bridge.url, token: bridge.token })).del(`${prefix}s`, `${prefix}e`);
  for (const socket of accepted) socket.destroy();
  await new Promise<void>((resolve) => blackHole.close(() => resolve()));
  await bridge.close();
});

describe('our @upstash/redis client through the bridge', () => {
  it('pings, and sets and reads plain strings (no JSON parsing of values)', async () => {
    const redis = createRedis({ url: bridge.url, token: bridge.token });
    expect(await redis.ping()).toBe('PONG');
    expect(await redis.set(`${prefix}s`, '123', { nx: true, px: 60_000 })).toBe('OK');
    expect(await redis.set(`${prefix}s`, 'other', { nx: true, px: 60_000 })).toBeNull();
    // Raw replies: '123' stays a string (the library's default would JSON.parse it to a number).
    expect(await redis.mget(`${prefix}s`, `${prefix}missing`)).toEqual(['123', null]);
  });

  it('loads a script, runs it by SHA1 and by text, with numbers as arguments', async () => {
    const redis = await connectRedis({ url: bridge.url, token: bridge.token });
    const script = `return {KEYS[1], tonumber(ARGV[1]) * 2, ARGV[2]} -- ${prefix}`;
    expect(await redis.scriptLoad(script)).toBe(sha1(script));
    expect(await redis.evalsha(sha1(script), [`${prefix}e`], [21, 'x'])).toEqual([`${prefix}e`, 42, 'x']);
    expect(await redis.eval(script, [`${prefix}e`], [1.5, 'y'])).toEqual([`${prefix}e`, 3, 'y']);
  });

  it('answers EVALSHA of an unknown script with an error that isNoScript recognises', async () => {
    const redis = createRedis({ url: bridge.url, token: bridge.token });
    const error: unknown = await redis.evalsha(sha1(`never loaded ${prefix}`), [], []).catch((caught: unknown) => caught);
    expect(isNoScript(error)).toBe(true);
    expect(isNoScript(new Error('WRONGTYPE'))).toBe(false);
  });

  it('refuses a wrong token without retrying', async () => {
    const redis = createRedis({ url: bridge.url, token: 'wrong' });
    await expect(redis.ping()).rejects.toThrow(/Unauthorized/);
  });

  it('cancels a call with its own signal: rejects with the reason and drops the connection', async () => {
    const redis = createRedis({ url: blackHoleUrl, token: 'any' });
    const reason = new Error('budget spent');
    const controller = new AbortController();
    const before = accepted.length;

    const call = abortable(controller.signal, () => redis.evalsha(sha1('x'), ['k'], [1]));
    // An unrelated call right after takes no signal from the first one.
    const unrelated = redis.ping().catch(() => 'closed at the end of the suite');
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort(reason);

    await expect(call).rejects.toBe(reason);
    expect(accepted.length).toBeGreaterThan(before);
    // The aborted request's connection is closed by the client; the unrelated call still waits.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(accepted.slice(before).filter((socket) => closed.has(socket)).length).toBeGreaterThanOrEqual(1);
    expect(await Promise.race([unrelated, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 20))])).toBe('still waiting');
  });

  it('passes the signal of a command sent before @upstash/redis is loaded, and replays an early pipeline', async () => {
    const early = createRedis({ url: blackHoleUrl, token: 'any' });
    const reason = new Error('spent while loading');
    const controller = new AbortController();
    const call = abortable(controller.signal, () => early.ping());
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);

    const fresh = createRedis({ url: bridge.url, token: bridge.token });
    const key = `${prefix}s`;
    expect(await fresh.pipeline().set(key, 'p', { ex: 60 }).exec()).toEqual(['OK']);
    expect(await fresh.mget(key)).toEqual(['p']);
  });

  it('rejects at once for a signal already aborted, without a request', async () => {
    const redis = createRedis({ url: blackHoleUrl, token: 'any' });
    const before = accepted.length;
    const reason = new Error('already spent');
    await expect(abortable(AbortSignal.abort(reason), () => redis.ping())).rejects.toBe(reason);
    expect(accepted.length).toBe(before);
  });
});
