// The one mapping from thrown errors to responses. Every error leaves in the same JSON shape:
// {"error":{"code","message","details?","requestId"}}. Client errors (< 500) expose their message;
// server errors say only a fixed phrase, and their cause goes to the log (and errors_total), never
// to the client.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, BadRequestError, MethodNotAllowedError, RateLimitedError, type ErrorDetails } from '../errors.js';
import { errorsTotal, exceptionsUnhandled } from '../metrics/error-metrics.js';
import { InvalidCursorError } from '../model/errors.js';
import type { AppEnv } from './env.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: ErrorDetails; requestId: string };
}

const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'service_unavailable',
};

/** Normalises anything thrown into an AppError without losing the original as its cause. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // The data layer's own errors: a cursor is the client's, so a bad one is its mistake.
  if (error instanceof InvalidCursorError) return new BadRequestError(error.message, { cause: error });
  if (error instanceof HTTPException) {
    const code = CODE_BY_STATUS[error.status] ?? (error.status >= 500 ? 'internal_error' : 'http_error');
    return new AppError(error.status, code, error.message || code.replace(/_/g, ' '), { cause: error });
  }
  return new AppError(500, 'internal_error', 'internal error', { cause: error });
}

function publicMessage(error: AppError): string {
  if (error.expose) return error.message;
  return error.status === 503 ? 'service unavailable' : 'internal error';
}

export function errorResponse(c: Context<AppEnv>, thrown: unknown): Response {
  const error = toAppError(thrown);
  if (error.status === 500 && !(thrown instanceof AppError) && !(thrown instanceof HTTPException)) exceptionsUnhandled.inc({ handler: 'http' });
  const requestId = c.get('requestId') ?? 'unknown';
  if (error.status >= 500) {
    (c.get('log') ?? undefined)?.error('request failed', { error: thrown instanceof Error ? thrown : error });
    // A 500 is a failure we did not expect; other 5xx (503) are a dependency we know to be down.
    errorsTotal.inc({ type: error.code, severity: error.status === 500 ? 'critical' : 'error' });
  }
  const details = error.expose ? error.details : undefined;
  const body: ErrorBody = {
    error:
      details === undefined
        ? { code: error.code, message: publicMessage(error), requestId }
        : { code: error.code, message: publicMessage(error), details, requestId },
  };
  if (error instanceof MethodNotAllowedError) c.header('Allow', error.allow.join(', '));
  if (error instanceof RateLimitedError) c.header('Retry-After', String(error.retryAfterSeconds));
  return c.json(body, error.status as ContentfulStatusCode);
}
