// The real @upstash/redis client (default options: base64 responses, auto-pipelining) against the
// real Redis, through the upstash-bridge. Keys live under a random prefix, deleted afterwards.
import { createHash, randomUUID } from 'node:crypto';
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstashBridge, type UpstashBridge } from '../../../../infra/local/upstash-bridge.js';
import { services } from '../../../support/services.js';

const prefix = `test:upstash-bridge:${randomUUID()}`;
const key = (name: string): string => `${prefix}:${name}`;
const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');
const unicode = 'héllo wörld ✓ 🌍 日本語';

let bridge: UpstashBridge;
let redis: Redis;

/** A raw REST call, to check the wire format the client hides. */
async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${bridge.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bridge.token}`, ...headers },
    body,
  });
}

beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: services.redisUrl, token: randomUUID() });
  redis = new Redis({ url: bridge.url, token: bridge.token });
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await bridge.close();
});

describe('upstash-bridge with the real @upstash/redis client', () => {
  it('round-trips unicode strings through set and get', async () => {
    expect(await redis.set(key('s'), unicode)).toBe('OK');
    expect(await redis.get(key('s'))).toBe(unicode);
    expect(await redis.get(key('missing'))).toBeNull();
  });

  it('increments integers', async () => {
    expect(await redis.incr(key('n'))).toBe(1);
    expect(await redis.incrby(key('n'), 41)).toBe(42);
  });

  it('returns HGETALL as Redis does, which the client turns into an object', async () => {
    await redis.hset(key('h'), { a: 'x', b: unicode });
    expect(await redis.hgetall(key('h'))).toEqual({ a: 'x', b: unicode });
  });

  it('runs concurrent calls, which the client auto-pipelines', async () => {
    const results = await Promise.all([redis.set(key('ap'), 'v'), redis.incr(key('ap:n')), redis.get(key('ap'))]);
    expect(results).toEqual(['OK', 1, 'v']);
  });

  it('runs an explicit pipeline and returns every result in order', async () => {
    const results = await redis.pipeline().set(key('p'), unicode).incr(key('p:n')).get(key('p')).exec();
    expect(results).toEqual(['OK', 1, unicode]);
  });

  it('runs a multi as a transaction', async () => {
    const results = await redis.multi().set(key('m'), 'a').append(key('m'), 'b').get(key('m')).exec();
    expect(results).toEqual(['OK', 2, 'ab']);
  });

  it('reports a failing command inside a multi with its Redis message', async () => {
    await redis.set(key('m:text'), 'abc');
    const multi = redis.multi().incr(key('m:text')).set(key('m:after'), 'ran');
    await expect(multi.exec()).rejects.toThrow(/ERR value is not an integer/);
    // Redis transactions do not roll back: the command after the failed one still ran.
    expect(await redis.get(key('m:after'))).toBe('ran');
  });

  it('evaluates scripts with eval and evalsha', async () => {
    const script = `return {KEYS[1], ARGV[1]} -- ${prefix}`;
    expect(await redis.eval(script, [key('e')], [unicode])).toEqual([key('e'), unicode]);
    const sha = await redis.scriptLoad(script);
    expect(sha).toBe(sha1(script));
    expect(await redis.evalsha(sha, [key('e')], ['x'])).toEqual([key('e'), 'x']);
  });

  it('answers evalsha of an unknown script with NOSCRIPT', async () => {
    await expect(redis.evalsha(sha1(`unknown ${prefix}`), [], [])).rejects.toThrow(/NOSCRIPT/);
  });

  it('falls back from evalsha to eval for a script created with createScript', async () => {
    const text = `return redis.call('INCR', KEYS[1]) -- ${prefix}`;
    const script = redis.createScript<number>(text);
    expect(await redis.scriptExists(sha1(text))).toEqual([0]);
    expect(await script.exec([key('cs')], [])).toBe(1);
    expect(await redis.scriptExists(sha1(text))).toEqual([1]);
    expect(await script.exec([key('cs')], [])).toBe(2);
  });

  it('keeps a no-writes shebang, which Redis 7 supports, in force', async () => {
    const reader = redis.createScript<string>(`#!lua flags=no-writes\nreturn ARGV[1] -- ${prefix}`);
    expect(await reader.exec([], ['read'])).toBe('read');
    const writer = redis.createScript(`#!lua flags=no-writes\nreturn redis.call('SET', KEYS[1], 'x') -- ${prefix}`);
    await expect(writer.exec([key('ro')], [])).rejects.toThrow(/Write commands are not allowed from read-only scripts/);
  });

  it('runs a script whose shebang has a flag this Redis does not know, under its original SHA1', async () => {
    const text = `#!lua flags=no-writes,flag-from-the-future\nreturn ARGV[1] -- ${prefix}`;
    const script = redis.createScript<string>(text);
    expect(await script.exec([], ['first'])).toBe('first'); // EVALSHA → NOSCRIPT → EVAL
    expect(await redis.scriptExists(sha1(text), sha1('never loaded'))).toEqual([1, 0]);
    expect(await redis.evalsha(sha1(text), [], ['again'])).toBe('again');
  });

  it('returns the SHA1 of the original text from scriptLoad of a rewritten script', async () => {
    const text = `#!lua flags=flag-from-the-future\nreturn 7 -- ${prefix}`;
    expect(await redis.scriptLoad(text)).toBe(sha1(text));
    expect(await redis.evalsha(sha1(text), [], [])).toBe(7);
  });

  it('surfaces a Redis error as a thrown error with the Redis message', async () => {
    await redis.set(key('text'), 'abc');
    await expect(redis.incr(key('text'))).rejects.toThrow(/ERR value is not an integer or out of range/);
  });

  it('rejects a client with a wrong token', async () => {
    const intruder = new Redis({ url: bridge.url, token: 'wrong', retry: false });
    await expect(intruder.get(key('s'))).rejects.toThrow(/Unauthorized/);
  });
});

describe('upstash-bridge with plain (non-base64) responses', () => {
  it('serves the same results as plain strings', async () => {
    const plain = new Redis({ url: bridge.url, token: bridge.token, responseEncoding: false });
    await plain.hset(key('plain:h'), { a: unicode });
    const results = await plain.pipeline().set(key('plain'), unicode).get(key('plain')).hgetall(key('plain:h')).exec();
    expect(results).toEqual(['OK', unicode, { a: unicode }]);
  });
});

describe('upstash-bridge wire format', () => {
  it('base64-encodes string results only when asked to', async () => {
    await redis.set(key('wire'), unicode);
    const body = JSON.stringify(['GET', key('wire')]);
    const encoded = await post('/', body, { 'upstash-encoding': 'base64' });
    expect(await encoded.json()).toEqual({ result: Buffer.from(unicode).toString('base64') });
    const plain = await post('/', body);
    expect(await plain.json()).toEqual({ result: unicode });
  });

  it('accepts the path form with URL-encoded segments', async () => {
    const path = `/set/${encodeURIComponent(key('path'))}/${encodeURIComponent(unicode)}`;
    expect(await (await post(path, '')).json()).toEqual({ result: 'OK' });
    const get = await fetch(`${bridge.url}/get/${encodeURIComponent(key('path'))}`, {
      headers: { authorization: `Bearer ${bridge.token}` },
    });
    expect(await get.json()).toEqual({ result: unicode });
  });

  it('answers a command error with HTTP 400 and the Redis message', async () => {
    const response = await post('/', JSON.stringify(['NOSUCHCOMMAND']));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.stringMatching(/^ERR unknown command/) as unknown });
  });

  it('answers a body that is not JSON with HTTP 400', async () => {
    const response = await post('/', '["SET", "k"');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.stringMatching(/^Invalid JSON body/) as unknown });
  });

  it('answers a missing token with HTTP 401', async () => {
    const response = await fetch(bridge.url, { method: 'POST', body: JSON.stringify(['PING']) });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'Unauthorized' });
  });
});
