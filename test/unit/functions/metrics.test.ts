import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLambdaContext } from '../../../infra/local/lambda-context.js';
import { resetConfig } from '../../../lib/config.js';
import type { LambdaHttpHandler } from '../../../lib/http/index.js';
import { httpEvent } from '../../support/http-event.js';

const ADMIN_KEY = 'metrics-test-admin-key-0123456789abcdef';

function eventFor(method: string, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  return httpEvent(method, '/metrics', { headers });
}

describe('the metrics function', () => {
  let handler: LambdaHttpHandler;
  const saved = { admin: process.env.ADMIN_API_KEY, push: process.env.PUSHGATEWAY_URL };

  function invoke(event: APIGatewayProxyEventV2): ReturnType<LambdaHttpHandler> {
    return handler(event, createLambdaContext({ functionName: 'signal-harvester-test-metrics', timeoutSeconds: 5, memorySize: 256, region: 'us-east-1' }));
  }

  beforeAll(async () => {
    // The function reads its configuration when it is loaded, as a Lambda does at cold start.
    process.env.ADMIN_API_KEY = ADMIN_KEY;
    delete process.env.PUSHGATEWAY_URL;
    resetConfig();
    ({ handler } = await import('../../../functions/metrics.js'));
  });

  afterAll(() => {
    for (const [name, value] of [['ADMIN_API_KEY', saved.admin], ['PUSHGATEWAY_URL', saved.push]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetConfig();
  });

  beforeEach(() => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    return () => vi.restoreAllMocks();
  });

  it('answers an anonymous caller 401, asking for a key', async () => {
    // Act
    const result = await invoke(eventFor('GET'));

    // Assess
    expect(result.statusCode).toBe(401);
    expect(result.headers?.['www-authenticate']).toBe('Bearer');
    expect(result.body).not.toContain('http_requests_total');
  });

  it('serves the registry in the Prometheus text format to an admin, its own requests included', async () => {
    // Prepare
    await invoke(eventFor('GET'));

    // Act
    const result = await invoke(eventFor('GET', { authorization: `Bearer ${ADMIN_KEY}` }));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(result.body).toContain('# TYPE http_requests_total counter');
    expect(result.body).toMatch(/http_requests_total\{method="GET",endpoint="\/metrics",status="401"\} [1-9]/);
    expect(result.body).toContain('# TYPE http_request_duration_seconds histogram');
  });

  it('answers a method other than GET with 405', async () => {
    // Act
    const result = await invoke(eventFor('POST', { authorization: `Bearer ${ADMIN_KEY}` }));

    // Assess
    expect(result.statusCode).toBe(405);
  });
});
