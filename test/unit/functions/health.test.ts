import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/health.js';
import { buildHttpEvent } from '../../../infra/local/api-gateway-event.js';
import { createLambdaContext } from '../../../infra/local/lambda-context.js';
import { httpEvent } from '../../support/http-event.js';

function eventFor(method: string, url: string, headers: Record<string, string> = { 'x-correlation-id': 'health-test' }): APIGatewayProxyEventV2 {
  return httpEvent(method, url, { headers: { 'user-agent': 'vitest', ...headers }, routeKey: 'ANY /health/live' });
}

function invoke(event: APIGatewayProxyEventV2): ReturnType<typeof handler> {
  const context = createLambdaContext({ functionName: 'health', timeoutSeconds: 5, memorySize: 256, region: 'us-east-1' });
  return handler(event, context);
}

describe('the health function', () => {
  beforeEach(() => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('answers GET /health/live with 200 and exactly status, version, uptime and timestamp', async () => {
    // Act
    const result = await invoke(eventFor('GET', '/health/live'));

    // Assess
    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body ?? '') as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['status', 'timestamp', 'uptime_seconds', 'version']);
    expect(body.status).toBe('healthy');
    expect(typeof body.version).toBe('string');
    expect(body.uptime_seconds).toEqual(expect.any(Number));
    expect(body.uptime_seconds).toBeGreaterThanOrEqual(0);
    expect(Number.isNaN(Date.parse(String(body.timestamp)))).toBe(false);
    expect(result.headers?.['x-correlation-id']).toBe('health-test');
    expect(result.headers?.['cache-control']).toBe('no-store');
  });

  it('answers POST /health/live with 405 and Allow', async () => {
    // Act
    const result = await invoke(eventFor('POST', '/health/live'));

    // Assess
    expect(result.statusCode).toBe(405);
    expect(result.headers?.allow).toBe('GET, HEAD, OPTIONS');
    expect(JSON.parse(result.body ?? '')).toMatchObject({ error: { code: 'method_not_allowed', requestId: 'health-test' } });
  });

  it('uses the API Gateway request id as correlation id when the client sends none', async () => {
    // Prepare
    const event = eventFor('GET', '/health/live', {});

    // Act
    const result = await invoke(event);

    // Assess
    expect(result.headers?.['x-correlation-id']).toBe(event.requestContext.requestId);
  });
});

describe('a GET that carries a body', () => {
  it('is answered as a plain GET instead of failing in the adapter', async () => {
    const event = buildHttpEvent({
      method: 'GET',
      url: '/health/live',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"x":1}'),
      sourceIp: '127.0.0.1',
      routeKey: 'ANY /health/live',
      pathParameters: {},
      domainName: 'localhost',
    });

    const result = await handler(event, createLambdaContext({ functionName: 'health', timeoutSeconds: 5, memorySize: 256, region: 'us-east-1' }));

    expect(result.statusCode).toBe(200);
  });
});
