// The app factory every HTTP function uses: one Hono app with the middleware chain of
// ARCHITECTURE §3 in order, our error shape for everything that goes wrong, and 404/405 answers
// that keep that shape. Functions add routes (routing/route.ts); lambda/handler.ts turns the app
// into the Lambda export; http-function.ts does both in one call.
import { Hono, type MiddlewareHandler } from 'hono';
import type { ApiKeyLookup } from '../auth/key-store.js';
import { getConfig } from '../config.js';
import { MethodNotAllowedError, NotFoundError } from '../errors.js';
import type { RateLimiter } from '../ratelimit/limiter.js';
import type { AppEnv } from './env.js';
import { errorResponse, toAppError } from './errors.js';
import { authenticate } from './middleware/authenticate.js';
import { cors } from './middleware/cors.js';
import { deadline } from './middleware/deadline.js';
import { metrics } from './middleware/metrics.js';
import { rateLimit } from './middleware/rate-limit.js';
import { requestContext } from './middleware/request-context.js';
import { secrets } from './middleware/secrets.js';
import { securityHeaders } from './middleware/security-headers.js';
import { allowedMethodsOf } from './routing/method-not-allowed.js';

export type App = Hono<AppEnv>;

export interface CreateAppOptions {
  /**
   * The function's name in serverless.yml: the name in logs when no Lambda context is present
   * (the Lambda handler labels the function's pushed metrics with it too).
   */
  name: string;
  /**
   * The API-key store, for functions that authenticate callers (ARCHITECTURE §3 step 5). Called
   * only when a request presents a key, so anonymous requests never touch the database.
   */
  keys?: () => ApiKeyLookup | Promise<ApiKeyLookup>;
  /** The rate limiter (ARCHITECTURE §3 step 6); functions that serve clients pass the default. */
  limiter?: () => RateLimiter;
  /**
   * Identify callers that presented no API key by other means, after `authenticate` and before the
   * rate limiter (so an identified caller is limited by its own bucket): the web dashboard's
   * session cookie (lib/web/session/). Default: none.
   */
  identify?: MiddlewareHandler<AppEnv>;
  /**
   * Answer every request with the error when the secret could not be loaded (default true). The
   * health probes pass false: liveness needs no secret, and startup/readiness report it as a
   * component of their answer rather than be replaced by an error.
   */
  secretsGate?: boolean;
}

export function createApp(options: CreateAppOptions): App {
  const config = getConfig();
  const app = new Hono<AppEnv>();

  app.use(requestContext({ functionName: options.name }));
  app.use(deadline());
  app.use(securityHeaders());
  app.use(cors({ allowedOrigins: config.CORS_ALLOWED_ORIGINS }));
  app.use(metrics());
  app.use(secrets({ required: options.secretsGate !== false }));
  if (options.keys !== undefined) app.use(authenticate({ lookup: options.keys, limiter: options.limiter }));
  if (options.identify !== undefined) app.use(options.identify);
  if (options.limiter !== undefined) app.use(rateLimit({ limiter: options.limiter }));
  // Hono hands only `instanceof Error` to onError; anything else a route rejects with (a driver's
  // ErrorEvent) would pass every middleware above unanswered and leave as a bare 500. Registered
  // last, this runs right around the route: the value becomes an AppError there, and the chain
  // above (correlation id, headers, access log, errors_total) sees an ordinary error response.
  app.use(async function anyThrownIsAnError(c, next) {
    try {
      await next();
    } catch (thrown) {
      throw thrown instanceof Error ? thrown : toAppError(thrown);
    }
  });

  const allowedMethods = allowedMethodsOf(app);
  app.onError((error, c) => errorResponse(c, error));
  app.notFound((c) => {
    const allow = allowedMethods(c.req.path);
    if (allow.length === 0) return errorResponse(c, new NotFoundError(`no route for ${c.req.path}`));
    if (c.req.method === 'OPTIONS') {
      c.header('Allow', allow.join(', '));
      return c.body(null, 204);
    }
    // The path is not echoed: a reflected request path is a gift to whoever crafts links.
    return errorResponse(c, new MethodNotAllowedError(allow, `${c.req.method} is not allowed on this resource`));
  });
  return app;
}
