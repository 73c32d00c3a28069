// Our Upstash REST client against the real Redis through the upstash-bridge: the answers the
// rate limiter relies on come back as Upstash sends them. Keys live under a random prefix.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstashBridge, type UpstashBridge } from '../../../../infra/local/upstash-bridge.js';
import { UpstashError, UpstashRequestError } from '../../../../lib/redis/errors.js';
import { createUpstashRest, type UpstashRest } from '../../../../lib/redis/upstash-rest.js';
import { services } from '../../../support/services.js';

const prefix = `test:upstash-rest:${randomUUID()}:`;
const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');
const unicode = 'héllo wörld ✓ 🌍 日本語';

let bridge: UpstashBridge;
let client: UpstashRest;

beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: services.redisUrl, token: randomUUID() });
  client = createUpstashRest({ url: bridge.url, token: bridge.token });
});

afterAll(async () => {
  await client.command(['DEL', `${prefix}s`, `${prefix}e`]);
  await bridge.close();
});

describe('our Upstash REST client through the bridge', () => {
  it('pings', async () => {
    expect(await client.ping()).toBe('PONG');
  });

  it('round-trips unicode strings as plain JSON', async () => {
    expect(await client.command(['SET', `${prefix}s`, unicode])).toBe('OK');
    expect(await client.command(['GET', `${prefix}s`])).toBe(unicode);
  });

  it('loads a script, runs it by SHA1 and by text, with numbers as arguments', async () => {
    const script = `return {KEYS[1], tonumber(ARGV[1]) * 2, ARGV[2]} -- ${prefix}`;
    expect(await client.scriptLoad(script)).toBe(sha1(script));
    expect(await client.evalsha(sha1(script), [`${prefix}e`], [21, unicode])).toEqual([`${prefix}e`, 42, unicode]);
    expect(await client.eval(script, [`${prefix}e`], [1.5, 'x'])).toEqual([`${prefix}e`, 3, 'x']);
  });

  it('answers EVALSHA of an unknown script with an UpstashError starting with NOSCRIPT', async () => {
    const failure = client.evalsha(sha1(`never loaded ${prefix}`), [], []);
    await expect(failure).rejects.toThrow(UpstashError);
    await expect(failure).rejects.toThrow(/^NOSCRIPT/);
  });

  it('reports a wrong token as an UpstashRequestError with status 401', async () => {
    const intruder = createUpstashRest({ url: bridge.url, token: 'wrong' });
    await expect(intruder.ping()).rejects.toMatchObject({ status: 401 });
    await expect(intruder.ping()).rejects.toThrow(UpstashRequestError);
  });
});
