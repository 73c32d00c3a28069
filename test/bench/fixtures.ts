// The requests the warm-path measurements send: API Gateway's events (`GET /health/live`, and any
// GET for the data path) and a Lambda context, built once by the local runtime's own builders so
// both sides of a comparison get the same input.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { buildHttpEvent } from '../../infra/local/api-gateway-event.js';
import { createLambdaContext } from '../../infra/local/lambda-context.js';

export const HEALTH_PATH = '/health/live';

/** `GET url` (path and query) as API Gateway hands it to the function mounted on `routePath`. */
export function getEvent(url: string, routePath: string): APIGatewayProxyEventV2 {
  return buildHttpEvent({
    method: 'GET',
    url,
    headers: { host: 'localhost:3000', 'user-agent': 'signal-harvester-bench', accept: 'application/json' },
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    routeKey: `ANY ${routePath}`,
    pathParameters: {},
    domainName: 'localhost:3000',
  });
}

export function healthLiveEvent(): APIGatewayProxyEventV2 {
  return getEvent(HEALTH_PATH, HEALTH_PATH);
}

/** `fn` is the serverless.yml name of the function the context is for. */
export function benchLambdaContext(fn = 'health'): Context {
  // Lambda's longest timeout: one context serves thousands of calls and must not run out.
  return createLambdaContext({
    functionName: `signal-harvester-bench-${fn}`,
    timeoutSeconds: 900,
    memorySize: 256,
    region: 'us-east-1',
  });
}
