// Outermost middleware: gives the request its correlation id and logger, times it, echoes the id,
// and writes one access line when the response is done.
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { log } from '../../log/index.js';
import type { AppEnv } from '../env.js';

export const CORRELATION_HEADER = 'x-correlation-id';

/** A client-chosen id is echoed into logs and headers, so only a short, plain token is accepted. */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Function names whose container has already served a request: the first one is the cold start. */
const warmFunctions = new Set<string>();

export interface RequestContextOptions {
  /** Function name used when no Lambda context is present (tests). */
  functionName: string;
}

export function requestContext(options: RequestContextOptions): MiddlewareHandler<AppEnv> {
  return async function requestContext(c, next) {
    const started = performance.now();
    const offered = c.req.header(CORRELATION_HEADER);
    const requestId =
      offered !== undefined && SAFE_ID.test(offered)
        ? offered
        : (c.env?.event?.requestContext.requestId ?? randomUUID());
    const functionName = c.env?.lambdaContext?.functionName ?? options.functionName;
    const coldStart = !warmFunctions.has(functionName);
    if (coldStart) warmFunctions.add(functionName);

    const requestLog = log.child({ function_name: functionName, correlation_id: requestId, cold_start: coldStart });
    c.set('requestId', requestId);
    c.set('log', requestLog);
    // Before the route, so every response the context builds carries it without Hono copying the
    // finished Response (which a header set after `next()` costs).
    c.header(CORRELATION_HEADER, requestId);

    await next();

    requestLog.info('request completed', {
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
    });
  };
}
