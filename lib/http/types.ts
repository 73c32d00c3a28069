// Typed Hono context shared by every HTTP function: what API Gateway hands us (bindings) and what
// the middleware chain adds for the route (variables).
import type { APIGatewayProxyEventV2, Context as LambdaContext } from 'aws-lambda';
import type { Tier } from '../model/tiers.js';
import type { Log } from '../log/index.js';

export interface AppBindings {
  /** The API Gateway HTTP API (payload 2.0) event; absent when a test calls `app.request()`. */
  event?: APIGatewayProxyEventV2;
  /** The Lambda context; absent when a test calls `app.request()`. */
  lambdaContext?: LambdaContext;
}

/** Who is calling, as established by the `authenticate` middleware (lib/http/auth.ts). */
export interface Caller {
  tier: Tier;
  /** The API key's id; `bootstrap` for the configured admin key; undefined when anonymous. */
  keyId: string | undefined;
}

export interface AppVariables {
  /** Correlation id of this request, echoed as `x-correlation-id` and put in every error body. */
  requestId: string;
  /** Logger carrying function name, correlation id and cold start. */
  log: Log;
  /** The authenticated caller; set by `authenticate`, read by `requireTier` and the rate limiter. */
  caller: Caller;
}

export interface AppEnv {
  Bindings: AppBindings;
  Variables: AppVariables;
}
