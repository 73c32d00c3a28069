// The Lambda export of an app, fed API Gateway payload 2.0 events as the local runtime builds them:
// what reaches the route, the result's shape (text, base64, cookies), a body on a GET dropped, a
// request the fetch API refuses answered as our 400, and the function name on the access log.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { resetConfig } from '../../../../../lib/config.js';
import type { ErrorBody } from '../../../../../lib/http/errors.js';
import { httpFunction, route, withTextBody, type App, type RouteSpec } from '../../../../../lib/http/index.js';
import { resetLog } from '../../../../../lib/log/index.js';
import { captureLogLines } from '../../../../support/capture-log.js';
import { httpEvent, lambdaContext } from '../../../../support/http-event.js';

const context = lambdaContext('handler-test');

function event(method: string, url: string, body = '', headers: Record<string, string> = {}) {
  return httpEvent(method, url, { body, headers });
}

function mountProbes(app: App): void {
  app.get('/echo', async (c) => c.json({ url: c.req.url, body: await c.req.text(), aborted: c.req.raw.signal.aborted }));
  app.post('/echo', async (c) => c.json({ received: await c.req.json<unknown>() }));
  app.get('/text', (c) => {
    const text = '{"items":[]}';
    return withTextBody(c.body(text, 200, { 'Content-Type': 'application/json' }), text);
  });
  app.get('/binary', (c) => c.body(new Uint8Array([0, 1, 2, 255]), 200, { 'Content-Type': 'application/octet-stream' }));
  app.get('/cookies', (c) => {
    c.header('Set-Cookie', 'a=1', { append: true });
    c.header('Set-Cookie', 'b=2', { append: true });
    return c.json({ ok: true });
  });
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  resetConfig();
  resetLog();
});

describe('the Lambda handler of an app', () => {
  it('serves a request without a body through the light Request, whose other fields still work', async () => {
    // Arrange
    const handler = httpFunction('handler-test', mountProbes);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);

    // Act
    const result = await handler(event('GET', '/echo?x=1'), context);

    // Assess: url and method as the event says; text() and signal from the real Request behind it
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ url: 'https://api.example.com/echo?x=1', body: '', aborted: false });
    expect(result.isBase64Encoded).toBe(false);
    expect(result.headers?.['x-correlation-id']).toBeTruthy();
  });

  it('validates a GET without a body and never builds the real Request behind the light one', async () => {
    // Arrange: count every Request constructed while the request is served
    const spec = {
      method: 'get',
      path: '/checked',
      operationId: 'checked',
      summary: 'A validated GET',
      query: z.strictObject({ x: z.coerce.number() }),
      responses: { 200: { description: 'the parsed query' } },
    } satisfies RouteSpec;
    const handler = httpFunction('handler-test', (app) => route(app, spec, (c, { query }) => c.json({ query })));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let constructed = 0;
    const RealRequest = globalThis.Request;
    vi.stubGlobal(
      'Request',
      class CountedRequest extends RealRequest {
        constructor(...args: ConstructorParameters<typeof Request>) {
          super(...args);
          constructed += 1;
        }
      },
    );

    // Act
    const result = await handler(event('GET', '/checked?x=3'), context);
    vi.unstubAllGlobals();

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ query: { x: 3 } });
    expect(constructed).toBe(0);
  });

  it('hands a POST body to the route', async () => {
    // Arrange
    const handler = httpFunction('handler-test', mountProbes);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);

    // Act
    const result = await handler(event('POST', '/echo', '{"a":[1,"é"]}', { 'content-type': 'application/json' }), context);

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ received: { a: [1, 'é'] } });
  });

  it('drops a body sent with a GET, which a fetch Request cannot carry', async () => {
    // Arrange
    const handler = httpFunction('handler-test', mountProbes);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);

    // Act
    const result = await handler(event('GET', '/echo', 'ignored'), context);

    // Assess
    expect(result.statusCode).toBe(200);
    expect((JSON.parse(result.body ?? '') as { body: string }).body).toBe('');
  });

  it('returns a text body as given, a binary one as base64, and cookies apart from the headers', async () => {
    // Arrange
    const handler = httpFunction('handler-test', mountProbes);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);

    // Act
    const text = await handler(event('GET', '/text'), context);
    const binary = await handler(event('GET', '/binary'), context);
    const cookies = await handler(event('GET', '/cookies'), context);

    // Assess
    expect(text).toMatchObject({ statusCode: 200, body: '{"items":[]}', isBase64Encoded: false });
    expect(binary).toMatchObject({ statusCode: 200, body: Buffer.from([0, 1, 2, 255]).toString('base64'), isBase64Encoded: true });
    expect(cookies.cookies).toEqual(['a=1', 'b=2']);
    expect(cookies.headers?.['set-cookie']).toBeUndefined();
  });

  it('answers a request the fetch API refuses with our 400, before any middleware', async () => {
    // Arrange: a header name with a space (API Gateway passes none; a local client might)
    const handler = httpFunction('handler-test', mountProbes);
    const bad = event('GET', '/echo');
    bad.headers['bad header'] = 'x';

    // Act
    const result = await handler(bad, context);

    // Assess
    expect(result.statusCode).toBe(400);
    const body = JSON.parse(result.body ?? '') as ErrorBody;
    expect(body.error).toEqual({ code: 'bad_request', message: 'malformed request', requestId: bad.requestContext.requestId });
  });

  it("logs the Lambda context's function name, else the name it was given", async () => {
    // Arrange: info lines on (the suite runs at warn)
    vi.stubEnv('LOG_LEVEL', 'info');
    resetConfig();
    resetLog();
    const handler = httpFunction('given-name', mountProbes);
    const lines = captureLogLines('INFO');

    // Act
    await handler(event('GET', '/text'), context);
    await httpFunction('given-name', mountProbes)(event('GET', '/text'), { ...context, functionName: undefined as unknown as string });

    // Assess
    const names = lines().filter((line) => line.message === 'request completed').map((line) => line.function_name);
    expect(names).toEqual(['handler-test', 'given-name']);
  });
});
