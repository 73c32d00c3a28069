// One error class per failure. Every class carries the HTTP status and a stable machine-readable
// code; `cause` is passed through so a foreign error is wrapped, never lost. Only client errors
// (status < 500) expose their message: the mapping lives in lib/http/errors.ts.

/** Extra, client-safe information about an error, e.g. the fields that failed validation. */
export type ErrorDetails = Record<string, unknown> | readonly unknown[];

export interface AppErrorOptions {
  /** The underlying error, kept for logs; never sent to a client. */
  cause?: unknown;
  /** Client-safe details, sent as `error.details`. */
  details?: ErrorDetails;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetails | undefined;

  constructor(status: number, code: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.details = options.details;
  }

  /** Whether the message may be shown to a client: only for client errors. */
  get expose(): boolean {
    return this.status < 500;
  }
}

export class BadRequestError extends AppError {
  constructor(message = 'bad request', options?: AppErrorOptions) {
    super(400, 'bad_request', message, options);
    this.name = 'BadRequestError';
  }
}

export class ValidationError extends AppError {
  constructor(message = 'validation failed', options?: AppErrorOptions) {
    super(400, 'validation_failed', message, options);
    this.name = 'ValidationError';
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'authentication required', options?: AppErrorOptions) {
    super(401, 'unauthorized', message, options);
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'forbidden', options?: AppErrorOptions) {
    super(403, 'forbidden', message, options);
    this.name = 'ForbiddenError';
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'not found', options?: AppErrorOptions) {
    super(404, 'not_found', message, options);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends AppError {
  constructor(message = 'conflict', options?: AppErrorOptions) {
    super(409, 'conflict', message, options);
    this.name = 'ConflictError';
  }
}

export class MethodNotAllowedError extends AppError {
  /** The methods the resource does support, sent in the `Allow` header. */
  readonly allow: readonly string[];

  constructor(allow: readonly string[], message = 'method not allowed', options?: AppErrorOptions) {
    super(405, 'method_not_allowed', message, { ...options, details: { allow } });
    this.name = 'MethodNotAllowedError';
    this.allow = allow;
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message = 'request body too large', options?: AppErrorOptions) {
    super(413, 'payload_too_large', message, options);
    this.name = 'PayloadTooLargeError';
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message = 'unsupported media type', options?: AppErrorOptions) {
    super(415, 'unsupported_media_type', message, options);
    this.name = 'UnsupportedMediaTypeError';
  }
}

export class RateLimitedError extends AppError {
  /** Seconds until the client may retry, sent in the `Retry-After` header. */
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, message = 'rate limit exceeded', options?: AppErrorOptions) {
    super(429, 'rate_limited', message, options);
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message = 'service unavailable', options?: AppErrorOptions) {
    super(503, 'service_unavailable', message, options);
    this.name = 'ServiceUnavailableError';
  }
}

/** Configuration is missing or invalid. A deploy-time mistake: never exposed to clients. */
export class ConfigError extends AppError {
  constructor(message: string, options?: AppErrorOptions) {
    super(500, 'config_invalid', message, options);
    this.name = 'ConfigError';
  }
}

/**
 * The Pushgateway refused or failed a request (a push, a listing, a delete). Metrics are advisory:
 * the flusher counts and logs it, never lets it reach a client.
 */
export class PushgatewayError extends AppError {
  /** The Pushgateway's HTTP status; undefined when it gave no answer. */
  readonly upstreamStatus: number | undefined;

  constructor(message: string, upstreamStatus?: number, options?: AppErrorOptions) {
    super(502, 'pushgateway_error', message, options);
    this.name = 'PushgatewayError';
    this.upstreamStatus = upstreamStatus;
  }
}

/**
 * The Secrets Manager secret could not be loaded (or held invalid configuration) and no earlier
 * value exists to fall back on. The function cannot run without its configuration: 503.
 */
export class SecretsError extends AppError {
  constructor(message: string, options?: AppErrorOptions) {
    super(503, 'secrets_unavailable', message, options);
    this.name = 'SecretsError';
  }
}
