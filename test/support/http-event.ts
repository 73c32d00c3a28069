// API Gateway payload 2.0 events and Lambda contexts for tests that call a function's handler
// directly, built by the same code the local runtime uses (infra/local/), with the values most
// tests do not care about filled in.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { buildHttpEvent } from '../../infra/local/api-gateway-event.js';
import { createLambdaContext } from '../../infra/local/lambda-context.js';

export interface TestEventOptions {
  /** Added to `host: api.example.com`. */
  headers?: Record<string, string>;
  /** The raw body (UTF-8). Default: none. */
  body?: string;
  /** Default `ANY <path>`. */
  routeKey?: string;
  /** Default 203.0.113.9 (a documentation address). */
  sourceIp?: string;
}

export function httpEvent(method: string, url: string, options: TestEventOptions = {}): APIGatewayProxyEventV2 {
  return buildHttpEvent({
    method,
    url,
    headers: { host: 'api.example.com', ...options.headers },
    body: Buffer.from(options.body ?? ''),
    sourceIp: options.sourceIp ?? '203.0.113.9',
    routeKey: options.routeKey ?? `ANY ${url.split('?')[0] ?? url}`,
    pathParameters: {},
    domainName: 'localhost',
  });
}

/** A Lambda context of `functionName` whose clock counts down from `timeoutMs` (default 10 s). */
export function lambdaContext(functionName: string, timeoutMs = 10_000): Context {
  return createLambdaContext({ functionName, timeoutSeconds: timeoutMs / 1000, memorySize: 256, region: 'us-east-1' });
}
