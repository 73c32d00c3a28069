// The Lambda entry point for an app (API Gateway HTTP API, payload 2.0): the event becomes a fetch
// Request (adapter.ts), the app answers it with the event and the Lambda context as its bindings
// (`c.env`), and the Response becomes the result. After the app has answered, the container's
// metrics are pushed when due (lib/metrics/pushgateway.ts, ARCHITECTURE §3 step 8): awaited,
// because a frozen Lambda does no background work, and bounded in time, because the client waits.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context as LambdaContext } from 'aws-lambda';
import { log } from '../../log/index.js';
import { maybeFlush } from '../../metrics/pushgateway.js';
import type { App } from '../app.js';
import type { ErrorBody } from '../errors.js';
import { toRequest, toResult } from './adapter.js';

export type LambdaHttpHandler = (
  event: APIGatewayProxyEventV2,
  context: LambdaContext,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface LambdaHandlerOptions {
  /** The function's name in serverless.yml: the `function` label of its pushed metrics. */
  name: string;
}

/** Time left in a Lambda invocation; unbounded when the context has no clock (tests). */
function remainingMs(context: LambdaContext | undefined): number | undefined {
  return typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : undefined;
}

function malformedRequest(requestId: string): APIGatewayProxyStructuredResultV2 {
  const body: ErrorBody = { error: { code: 'bad_request', message: 'malformed request', requestId } };
  return { statusCode: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), isBase64Encoded: false };
}

function serverError(requestId: string): APIGatewayProxyStructuredResultV2 {
  const body: ErrorBody = { error: { code: 'internal_error', message: 'internal error', requestId } };
  return { statusCode: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), isBase64Encoded: false };
}

export function toLambdaHandler(app: App, options: LambdaHandlerOptions): LambdaHttpHandler {
  const functionName = options.name;
  return async function handler(event, context) {
    // A GET or HEAD with a body cannot become a fetch Request; the body means nothing there, so it
    // is dropped, as proxies commonly do.
    const method = event.requestContext.http.method;
    const request = (method === 'GET' || method === 'HEAD') && event.body !== undefined ? { ...event, body: undefined, isBase64Encoded: false } : event;
    try {
      let fetchRequest: Request;
      try {
        fetchRequest = toRequest(request);
      } catch {
        // A header or URL the fetch API refuses (API Gateway passes none; a local client might):
        // the client's mistake, answered in our shape, before any middleware could see it.
        return malformedRequest(request.requestContext.requestId);
      }
      return await toResult(await app.fetch(fetchRequest, { event: request, lambdaContext: context }));
    } catch (thrown) {
      // Last resort (the chain answers everything it is given): still our shape, never Lambda's.
      log.error('request failed outside the app', { error: thrown });
      return serverError(request.requestContext.requestId);
    } finally {
      await maybeFlush({ functionName, remainingMs: remainingMs(context) });
    }
  };
}
