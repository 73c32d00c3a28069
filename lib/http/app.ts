// The app factory every HTTP function uses: one Hono app with the middleware chain of
// ARCHITECTURE §3 in order, our error shape for everything that goes wrong, and 404/405 answers
// that keep that shape. Functions add routes; `toLambdaHandler` turns the app into the export and
// flushes the container's metrics (step 8) before each invocation returns.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context as LambdaContext } from 'aws-lambda';
import { Hono } from 'hono';
import type { ApiKeyLookup } from '../auth/key-store.js';
import { getConfig } from '../config.js';
import { MethodNotAllowedError, NotFoundError } from '../errors.js';
import { maybeFlush } from '../metrics/pushgateway.js';
import { ensureSecrets } from '../secrets.js';
import { cors } from './cors.js';
import { toRequest, toResult } from './lambda-adapter.js';
import { errorResponse, type ErrorBody } from './errors.js';
import type { RateLimiter } from '../ratelimit/limiter.js';
import { authenticate } from './auth.js';
import { rateLimit } from './rate-limit.js';
import { allowedMethods } from './method-not-allowed.js';
import { metrics } from './metrics.js';
import { requestContext } from './request-context.js';
import { securityHeaders } from './security-headers.js';
import type { AppEnv } from './types.js';

export type App = Hono<AppEnv>;

export interface CreateAppOptions {
  /**
   * The function's name in serverless.yml: the `function` label of its pushed metrics, and the
   * name in logs when no Lambda context is present.
   */
  name: string;
  /**
   * The API-key store, for functions that authenticate callers (ARCHITECTURE §3 step 5). Called
   * only when a request presents a key, so anonymous requests never touch the database.
   */
  keys?: () => ApiKeyLookup | Promise<ApiKeyLookup>;
  /** The rate limiter (ARCHITECTURE §3 step 6); functions that serve clients pass the default. */
  limiter?: () => RateLimiter;
}

/** Each app's serverless.yml function name, for `toLambdaHandler`'s metrics flush. */
const functionNames = new WeakMap<App, string>();

/**
 * Events whose invocation could not load its secrets (and has no earlier value): the app answers
 * them with that error, through the whole chain (correlation id, headers, metrics), never a route.
 */
const secretsFailures = new WeakMap<object, unknown>();

export function createApp(options: CreateAppOptions): App {
  const config = getConfig();
  const app = new Hono<AppEnv>();
  functionNames.set(app, options.name);

  app.use(requestContext({ functionName: options.name }));
  app.use(securityHeaders());
  app.use(cors({ allowedOrigins: config.CORS_ALLOWED_ORIGINS }));
  app.use(metrics());
  app.use(async function secretsGate(c, next) {
    const event: object | undefined = c.env?.event;
    if (event !== undefined && secretsFailures.has(event)) throw secretsFailures.get(event);
    await next();
  });
  if (options.keys !== undefined) app.use(authenticate({ lookup: options.keys }));
  if (options.limiter !== undefined) app.use(rateLimit({ limiter: options.limiter }));

  app.onError((error, c) => errorResponse(c, error));
  app.notFound((c) => {
    const allow = allowedMethods(app, c.req.path);
    if (allow.length === 0) return errorResponse(c, new NotFoundError(`no route for ${c.req.path}`));
    if (c.req.method === 'OPTIONS') {
      c.header('Allow', allow.join(', '));
      return c.body(null, 204);
    }
    return errorResponse(c, new MethodNotAllowedError(allow, `${c.req.method} is not allowed on ${c.req.path}`));
  });
  return app;
}

export type LambdaHttpHandler = (
  event: APIGatewayProxyEventV2,
  context: LambdaContext,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** Time left in a Lambda invocation; unbounded when the context has no clock (tests). */
function remainingMs(context: LambdaContext | undefined): number | undefined {
  return typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : undefined;
}

/**
 * The Lambda entry point for an app (API Gateway HTTP API, payload 2.0). Before the app sees the
 * request, the Secrets Manager secret is merged into the configuration when due (lib/secrets.ts; a
 * timestamp check when fresh), so clients built lazily from config see its values. After the app has answered,
 * the container's metrics are pushed when due (lib/metrics/pushgateway.ts): awaited, because a
 * frozen Lambda does no background work, and bounded in time, because the client is waiting.
 */
function malformedRequest(requestId: string): APIGatewayProxyStructuredResultV2 {
  const body: ErrorBody = { error: { code: 'bad_request', message: 'malformed request', requestId } };
  return { statusCode: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), isBase64Encoded: false };
}

export function toLambdaHandler(app: App): LambdaHttpHandler {
  const functionName = functionNames.get(app) ?? 'unknown';
  return async (event, context) => {
    // A GET or HEAD with a body cannot become a fetch Request; the body means nothing there, so it
    // is dropped, as proxies commonly do.
    const method = event.requestContext.http.method;
    const request = (method === 'GET' || method === 'HEAD') && event.body !== undefined ? { ...event, body: undefined, isBase64Encoded: false } : event;
    try {
      await ensureSecrets();
    } catch (error) {
      secretsFailures.set(request, error);
    }
    try {
      let fetchRequest: Request;
      try {
        fetchRequest = toRequest(request);
      } catch {
        // A header or URL the fetch API refuses (API Gateway passes none; a local client might):
        // the client's mistake, answered in our shape, before any middleware could see it.
        return malformedRequest(request.requestContext.requestId);
      }
      return await toResult(await app.fetch(fetchRequest, { event: request, requestContext: request.requestContext, lambdaContext: context }));
    } finally {
      await maybeFlush({ functionName, remainingMs: remainingMs(context) });
    }
  };
}
