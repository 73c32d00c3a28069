import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpEvent, writeHttpResult, type HttpRequestInput } from '../../../../infra/local/api-gateway-event.js';

function input(overrides: Partial<HttpRequestInput> = {}): HttpRequestInput {
  return {
    method: 'GET',
    url: '/v1/signals',
    headers: { host: 'api.example.com', 'user-agent': 'vitest/4' },
    body: Buffer.alloc(0),
    sourceIp: '198.51.100.7',
    routeKey: 'GET /v1/signals',
    pathParameters: {},
    domainName: 'localhost',
    ...overrides,
  };
}

describe('buildHttpEvent', () => {
  it('splits the URL into rawPath and rawQueryString', () => {
    // Act
    const event = buildHttpEvent(input({ url: '/v1/signals?kind=post&limit=10' }));

    // Assess
    expect(event.rawPath).toBe('/v1/signals');
    expect(event.rawQueryString).toBe('kind=post&limit=10');
    expect(event.requestContext.http.path).toBe('/v1/signals');
    expect(event.queryStringParameters).toEqual({ kind: 'post', limit: '10' });
  });

  it('leaves out queryStringParameters and uses an empty rawQueryString without a query', () => {
    // Act
    const event = buildHttpEvent(input());

    // Assess
    expect(event.rawQueryString).toBe('');
    expect(event).not.toHaveProperty('queryStringParameters');
  });

  it('joins repeated query parameters with a comma, as API Gateway does', () => {
    // Act
    const event = buildHttpEvent(input({ url: '/x?tag=a&tag=b&tag=c%20d&one=1' }));

    // Assess
    expect(event.queryStringParameters).toEqual({ tag: 'a,b,c d', one: '1' });
    expect(event.rawQueryString).toBe('tag=a&tag=b&tag=c%20d&one=1');
  });

  it('moves cookies to `cookies` and out of the headers', () => {
    // Act
    const event = buildHttpEvent(input({ headers: { host: 'h', cookie: 'a=1; b=2;c=3' } }));

    // Assess
    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(event.headers).not.toHaveProperty('cookie');
  });

  it('has no cookies key when the request has no cookies', () => {
    // Act
    const event = buildHttpEvent(input());

    // Assess
    expect(event).not.toHaveProperty('cookies');
  });

  it('joins a repeated header with commas', () => {
    // Act
    const event = buildHttpEvent(input({ headers: { host: 'h', 'x-forwarded-for': ['1.1.1.1', '2.2.2.2'] } }));

    // Assess
    expect(event.headers['x-forwarded-for']).toBe('1.1.1.1,2.2.2.2');
  });

  it('passes a JSON body as text', () => {
    // Act
    const event = buildHttpEvent(
      input({ method: 'POST', headers: { host: 'h', 'content-type': 'application/json; charset=utf-8' }, body: Buffer.from('{"a":"é"}') }),
    );

    // Assess
    expect(event.body).toBe('{"a":"é"}');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('passes a binary body base64-encoded', () => {
    // Prepare
    const bytes = Buffer.from([0, 1, 2, 250, 255]);

    // Act
    const event = buildHttpEvent(input({ method: 'PUT', headers: { host: 'h', 'content-type': 'application/octet-stream' }, body: bytes }));

    // Assess
    expect(event.isBase64Encoded).toBe(true);
    expect(event.body).toBe(bytes.toString('base64'));
  });

  it('has no body key and is not base64 when the request has no body', () => {
    // Act
    const event = buildHttpEvent(input({ headers: { host: 'h', 'content-type': 'application/octet-stream' } }));

    // Assess
    expect(event).not.toHaveProperty('body');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('fills the request context: source IP, method, route key, domain and time', () => {
    // Prepare
    const now = new Date('2025-03-04T05:06:07.000Z');

    // Act
    const event = buildHttpEvent(input({ method: 'DELETE', routeKey: 'DELETE /v1/signals/{id}' }), now);

    // Assess
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('DELETE /v1/signals/{id}');
    expect(event.requestContext).toMatchObject({
      routeKey: 'DELETE /v1/signals/{id}',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      stage: '$default',
      timeEpoch: now.getTime(),
      http: { method: 'DELETE', path: '/v1/signals', sourceIp: '198.51.100.7', userAgent: 'vitest/4', protocol: 'HTTP/1.1' },
    });
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('falls back to the configured domain name when the request has no Host', () => {
    // Act
    const event = buildHttpEvent(input({ headers: {} }));

    // Assess
    expect(event.requestContext.domainName).toBe('localhost');
  });

  it('gives every event its own request id', () => {
    // Act
    const [a, b] = [buildHttpEvent(input()), buildHttpEvent(input())];

    // Assess
    expect(a.requestContext.requestId).not.toBe(b.requestContext.requestId);
  });

  it('passes path parameters only when there are some', () => {
    // Act
    const withParams = buildHttpEvent(input({ pathParameters: { id: '42' } }));
    const without = buildHttpEvent(input());

    // Assess
    expect(withParams.pathParameters).toEqual({ id: '42' });
    expect(without).not.toHaveProperty('pathParameters');
  });
});

describe('writeHttpResult', () => {
  let server: Server;
  let baseUrl: string;
  let nextResult: APIGatewayProxyResultV2 = {};

  beforeAll(async () => {
    server = createServer((_request, response) => writeHttpResult(nextResult, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  });

  it('writes a structured result: status, lower-cased headers and text body', async () => {
    // Prepare
    nextResult = { statusCode: 201, headers: { 'Content-Type': 'application/json', 'X-Count': 3 }, body: '{"id":1}' };

    // Act
    const response = await fetch(`${baseUrl}/`);

    // Assess
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-count')).toBe('3');
    expect(await response.text()).toBe('{"id":1}');
  });

  it('decodes a base64 body before writing it', async () => {
    // Prepare
    const bytes = Buffer.from([0, 159, 146, 150, 255]);
    nextResult = { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: bytes.toString('base64'), isBase64Encoded: true };

    // Act
    const response = await fetch(`${baseUrl}/`);

    // Assess
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it('writes each cookie as its own set-cookie header', async () => {
    // Prepare
    nextResult = { statusCode: 204, cookies: ['a=1; Path=/', 'b=2; HttpOnly'] };

    // Act
    const response = await fetch(`${baseUrl}/`);

    // Assess
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
  });

  it('infers a 200 JSON response from a plain object, as payload 2.0 does', async () => {
    // Prepare
    nextResult = { hello: 'world' } as unknown as APIGatewayProxyResultV2;

    // Act
    const response = await fetch(`${baseUrl}/`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ hello: 'world' });
  });

  it('treats an object without statusCode as data: a 200 JSON response of the whole object', async () => {
    // Prepare
    nextResult = { body: 'x', headers: { a: 'b' } };

    // Act
    const response = await fetch(`${baseUrl}/`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ body: 'x', headers: { a: 'b' } });
  });
});
