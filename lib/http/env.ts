// The typed Hono Env every HTTP function shares (`Hono<AppEnv>`, `Context<AppEnv>`): what the
// Lambda adapter hands the app for one request (bindings, `c.env`) and what the middleware chain
// sets for the route (variables, `c.var` / `c.get()`). Per-request state travels here and nowhere
// else: no module-level map keyed by the event or the app.
import type { APIGatewayProxyEventV2, Context as LambdaContext } from 'aws-lambda';
import type { Tier } from '../model/tiers.js';
import type { Log } from '../log/index.js';
import type { RequestDeadline } from './middleware/deadline.js';

export interface AppBindings {
  /** The API Gateway HTTP API (payload 2.0) event; absent when a test calls `app.request()`. */
  event?: APIGatewayProxyEventV2;
  /** The Lambda context; absent when a test calls `app.request()`. */
  lambdaContext?: LambdaContext;
}

/** Who is calling, as established by the `authenticate` middleware (middleware/authenticate.ts). */
export interface Caller {
  tier: Tier;
  /** The API key's id; `bootstrap` for the configured admin key; undefined when anonymous. */
  keyId: string | undefined;
}

/** A signed-in web dashboard session (lib/web/session/), set when the request's cookie names an active one. */
export interface WebSessionState {
  /** The session id from the cookie (never logged; its SHA-256 names the row). */
  id: string;
  /** When the session ends, ms since the epoch. */
  expiresAtMs: number;
  /** The synchronizer token every POST form of this session carries. */
  csrfToken: string;
}

export interface AppVariables {
  /** Correlation id of this request, echoed as `x-correlation-id` and put in every error body. */
  requestId: string;
  /** Logger carrying function name, correlation id and cold start. */
  log: Log;
  /**
   * When this request must be done by: the Lambda's remaining time less a reserve for answering
   * and pushing metrics. `deadline.signal` aborts then; pass it to whatever the route waits on.
   */
  deadline: RequestDeadline;
  /** The authenticated caller; set by `authenticate`, read by `requireTier` and the rate limiter. */
  caller: Caller;
  /** The web dashboard's session, when signed in; set by lib/web/session's `webSession`. */
  webSession?: WebSessionState;
}

export interface AppEnv {
  Bindings: AppBindings;
  Variables: AppVariables;
}
