// The request every warm-path measurement sends: API Gateway's event for `GET /health/live` and a
// Lambda context, built once by the local runtime's own builders so both sides get the same input.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { buildHttpEvent } from '../../infra/local/api-gateway-event.js';
import { createLambdaContext } from '../../infra/local/lambda-context.js';

export const HEALTH_PATH = '/health/live';

export function healthLiveEvent(): APIGatewayProxyEventV2 {
  return buildHttpEvent({
    method: 'GET',
    url: HEALTH_PATH,
    headers: { host: 'localhost:3000', 'user-agent': 'signal-harvester-bench', accept: 'application/json' },
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    routeKey: `ANY ${HEALTH_PATH}`,
    pathParameters: {},
    domainName: 'localhost:3000',
  });
}

export function benchLambdaContext(): Context {
  // Lambda's longest timeout: one context serves thousands of calls and must not run out.
  return createLambdaContext({
    functionName: 'signal-harvester-bench-health',
    timeoutSeconds: 900,
    memorySize: 256,
    region: 'us-east-1',
  });
}
