// Gives the route the request's deadline (`c.var.deadline`), as jobs get theirs (lib/jobs/budget.ts):
// the Lambda's remaining time less a reserve, so whatever the route waits on (a query, a fetch) is
// abandoned while there is still time to answer 503 and push the metrics, rather than the Lambda
// being killed mid-request with nothing logged. Without a Lambda context (tests, `app.request()`)
// the function timeout of serverless.yml stands in. The AbortSignal and its timer are made only
// when a route asks for them, so requests that never wait (health, 404) pay for neither.
import type { MiddlewareHandler } from 'hono';
import { ServiceUnavailableError } from '../../errors.js';
import type { AppEnv } from '../env.js';

/** Time kept back for the error response and the metrics push (bounded at 300 ms), ms. */
export const DEFAULT_RESERVE_MS = 500;
/** Time a request has when no Lambda context says otherwise: serverless.yml's `timeout: 10`, ms. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface DeadlineOptions {
  /** Time before the Lambda's own deadline at which the request's signal aborts, ms. Default 500. */
  reserveMs?: number;
  /** Time a request has without a Lambda context, ms. Default 10 s. */
  timeoutMs?: number;
  /** Clock in milliseconds (tests). Default `Date.now`. */
  now?: () => number;
}

/** One request's deadline; its signal aborts with a 503 `ServiceUnavailableError` as the reason. */
export class RequestDeadline {
  #controller: AbortController | undefined;
  #timer: NodeJS.Timeout | undefined;

  /** `at` is the time (in `now`'s milliseconds) the request must be done by. */
  constructor(
    readonly at: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** ms left before the deadline; 0 once it has passed. */
  remainingMs(): number {
    return Math.max(0, this.at - this.now());
  }

  /** Aborts at the deadline (at once when it has passed). Created on first read. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = new AbortController();
      this.#controller = controller;
      const abort = (): void => controller.abort(new ServiceUnavailableError('the request ran out of time'));
      const left = this.remainingMs();
      if (left === 0) abort();
      else this.#timer = setTimeout(abort, left).unref();
    }
    return this.#controller.signal;
  }

  /** Clears the timer once the request is answered. */
  dispose(): void {
    clearTimeout(this.#timer);
  }
}

export function deadline(options: DeadlineOptions = {}): MiddlewareHandler<AppEnv> {
  const reserveMs = options.reserveMs ?? DEFAULT_RESERVE_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  return async function deadline(c, next) {
    const lambdaContext = c.env?.lambdaContext;
    const remaining = typeof lambdaContext?.getRemainingTimeInMillis === 'function' ? lambdaContext.getRemainingTimeInMillis() : timeoutMs;
    // At most half the time left is kept back, so a short budget still gives the route some.
    const requestDeadline = new RequestDeadline(now() + remaining - Math.min(reserveMs, Math.floor(remaining / 2)), now);
    c.set('deadline', requestDeadline);
    try {
      await next();
    } finally {
      requestDeadline.dispose();
    }
  };
}
