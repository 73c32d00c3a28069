// The local runtime over real HTTP: API Gateway routing precedence, the v2 event a handler gets,
// the result mapping back to HTTP, and the gateway's own answers (timeouts, crashes, no route).
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.js';

const configPath = fileURLToPath(new URL('../fixtures/runtime/serverless.yml', import.meta.url));

interface Echo {
  event: {
    routeKey: string;
    rawPath: string;
    rawQueryString: string;
    headers: Record<string, string>;
    queryStringParameters?: Record<string, string>;
    pathParameters?: Record<string, string>;
    cookies?: string[];
    body?: string;
    isBase64Encoded: boolean;
    requestContext: { http: { method: string; sourceIp: string }; requestId: string };
  };
  context: { functionName: string; remainingMs: number; awsRequestId: string };
}

describe('the local runtime over HTTP', () => {
  let runtime: LocalRuntime;

  beforeAll(async () => {
    runtime = await startLocalRuntime({ configPath, port: 0, schedules: false, database: false });
  });

  afterAll(async () => {
    await runtime.close();
  });

  async function echo(path: string, init?: RequestInit): Promise<{ response: Response; body: Echo }> {
    const response = await fetch(`${runtime.url}${path}`, init);
    return { response, body: (await response.json()) as Echo };
  }

  it('prefers an exact path over a greedy one, as API Gateway does', async () => {
    const exact = await echo('/echo/exact');
    const greedy = await echo('/echo/a/b/c');

    expect(exact.body.event.routeKey).toBe('GET /echo/exact');
    expect(greedy.body.event.routeKey).toBe('GET /echo/{proxy+}');
    expect(greedy.body.event.pathParameters).toEqual({ proxy: 'a/b/c' });
  });

  it('builds a payload 2.0 event with path parameters, query, cookies, body and source IP', async () => {
    // Act
    const { response, body } = await echo('/echo/item%201?tag=a&tag=b&x=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'session=abc; theme=dark', 'x-custom': 'v' },
      body: JSON.stringify({ hello: 'world' }),
    });

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(response.headers.get('set-cookie')).toBe('a=1; Path=/');
    const { event, context } = body;
    expect(event.routeKey).toBe('POST /echo/{id}');
    expect(event.pathParameters).toEqual({ id: 'item 1' });
    expect(event.rawPath).toBe('/echo/item%201');
    expect(event.rawQueryString).toBe('tag=a&tag=b&x=1');
    expect(event.queryStringParameters).toEqual({ tag: 'a,b', x: '1' });
    expect(event.cookies).toEqual(['session=abc', 'theme=dark']);
    expect(event.headers['x-custom']).toBe('v');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.body).toBe('{"hello":"world"}');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext.http.method).toBe('POST');
    expect(event.requestContext.http.sourceIp).toBe('127.0.0.1');
    expect(context.functionName).toBe('fixture-local-echo');
    expect(context.remainingMs).toBeGreaterThan(0);
    expect(context.remainingMs).toBeLessThanOrEqual(1000);
  });

  it('base64-encodes a binary body', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const { body } = await echo('/echo/bin', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });

    expect(body.event.isBase64Encoded).toBe(true);
    expect(Buffer.from(body.event.body ?? '', 'base64')).toEqual(bytes);
  });

  it('answers like API Gateway when no route matches and there is no $default route', async () => {
    const response = await fetch(`${runtime.url}/nowhere`);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
  });

  it('fails an invocation that overruns the function timeout as the gateway does', async () => {
    const response = await fetch(`${runtime.url}/echo/slow?sleep=1500`);

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('turns a crashing handler into a 500 without leaking its message', async () => {
    const response = await fetch(`${runtime.url}/echo/crash?throw=1`);
    const text = await response.text();

    expect(response.status).toBe(500);
    expect(text).not.toContain('asked to fail');
  });

  it('invokes a function directly', async () => {
    const result = await runtime.invoke('tick', { source: 'test' });

    expect(result).toEqual({ ok: true });
  });
});
