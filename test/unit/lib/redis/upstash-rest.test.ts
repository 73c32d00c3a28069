// The Upstash REST client against a scripted local HTTP server: what goes over the wire, and how
// every kind of answer (result, command error, other status, garbage, no answer) comes back.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UpstashError, UpstashRequestError } from '../../../../lib/redis/errors.js';
import { createUpstashRest } from '../../../../lib/redis/upstash-rest.js';

interface Seen {
  method: string | undefined;
  path: string | undefined;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** What the server answers next: a status and a raw body, or `hang` to never answer. */
let answer: { status: number; body: string } | 'hang';
let seen: Seen[];
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        method: req.method,
        path: req.url,
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
      });
      if (answer === 'hang') return;
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  answer = { status: 200, body: '{"result":"OK"}' };
  seen = [];
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('createUpstashRest', () => {
  it('posts the command as a JSON array with the bearer token and no base64 encoding', async () => {
    const client = createUpstashRest({ url, token: 'secret-token' });
    answer = { status: 200, body: JSON.stringify({ result: 'héllo ✓' }) };

    const result = await client.command<string>(['GET', 'k']);

    expect(result).toBe('héllo ✓');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/', body: ['GET', 'k'] });
    expect(seen[0]!.headers).toMatchObject({ authorization: 'Bearer secret-token', 'content-type': 'application/json' });
    expect(seen[0]!.headers).not.toHaveProperty('upstash-encoding');
  });

  it('builds EVALSHA, EVAL, SCRIPT LOAD and PING with the key count before keys and arguments', async () => {
    const client = createUpstashRest({ url, token: 't' });

    await client.evalsha('abc123', ['k1', 'k2'], [100, 1.5, 'x']);
    await client.eval('return 1', [], [7]);
    await client.scriptLoad('return 1');
    await client.ping();

    expect(seen.map((request) => request.body)).toEqual([
      ['EVALSHA', 'abc123', 2, 'k1', 'k2', 100, 1.5, 'x'],
      ['EVAL', 'return 1', 0, 7],
      ['SCRIPT', 'LOAD', 'return 1'],
      ['PING'],
    ]);
  });

  it('returns null and array results as they are', async () => {
    const client = createUpstashRest({ url, token: 't' });
    answer = { status: 200, body: '{"result":null}' };
    expect(await client.command(['GET', 'missing'])).toBeNull();
    answer = { status: 200, body: '{"result":[1,0,1700000000000,-1]}' };
    expect(await client.evalsha('abc', ['k'], [])).toEqual([1, 0, 1700000000000, -1]);
  });

  it("turns a command error into an UpstashError carrying Redis's message", async () => {
    const client = createUpstashRest({ url, token: 't' });
    answer = { status: 400, body: JSON.stringify({ error: 'NOSCRIPT No matching script. Please use EVAL.' }) };

    const failure = client.evalsha('abc', [], []);

    await expect(failure).rejects.toThrow(UpstashError);
    await expect(failure).rejects.toThrow(/^NOSCRIPT No matching script/);
  });

  it('reports another status as an UpstashRequestError with the status and the error text', async () => {
    const client = createUpstashRest({ url, token: 'wrong' });
    answer = { status: 401, body: '{"error":"Unauthorized"}' };

    const error = await client.ping().catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(UpstashRequestError);
    expect(error).toMatchObject({ status: 401, message: 'Upstash PING answered HTTP 401: Unauthorized' });
  });

  it('reports a body that is not Upstash JSON as an UpstashRequestError', async () => {
    const client = createUpstashRest({ url, token: 't' });
    answer = { status: 502, body: '<html>Bad Gateway</html>' };
    await expect(client.ping()).rejects.toMatchObject({
      name: 'UpstashRequestError',
      status: 502,
      message: 'Upstash PING answered HTTP 502: <html>Bad Gateway</html>',
    });
    answer = { status: 200, body: '{"unexpected":true}' };
    await expect(client.ping()).rejects.toMatchObject({ name: 'UpstashRequestError', status: 200 });
  });

  it('wraps a network failure in an UpstashRequestError that keeps the cause', async () => {
    const unused = createServer();
    await new Promise<void>((resolve) => unused.listen(0, '127.0.0.1', resolve));
    const { port } = unused.address() as AddressInfo;
    await new Promise((resolve) => unused.close(resolve)); // nothing listens there now
    const client = createUpstashRest({ url: `http://127.0.0.1:${port}`, token: 't' });

    const error = await client.ping().catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(UpstashRequestError);
    expect(error).toMatchObject({ status: undefined, message: expect.stringMatching(/^Upstash PING failed: /) as unknown });
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('gives up when the signal aborts, rejecting with its reason', async () => {
    const client = createUpstashRest({ url, token: 't' });
    answer = 'hang';
    const started = performance.now();

    const error = await client.ping(AbortSignal.timeout(50)).catch((thrown: unknown) => thrown);

    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(performance.now() - started).toBeLessThan(1000);
    const reason = new Error('budget spent');
    await expect(client.ping(AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('uses the fetch it is given', async () => {
    const calls: unknown[] = [];
    const fake: typeof fetch = (input, init) => {
      calls.push([input, init?.body]);
      return Promise.resolve(new Response('{"result":"PONG"}', { status: 200 }));
    };
    const client = createUpstashRest({ url: 'https://example.upstash.io', token: 't', fetch: fake });

    expect(await client.ping()).toBe('PONG');
    expect(calls).toEqual([['https://example.upstash.io', '["PING"]']]);
  });
});
