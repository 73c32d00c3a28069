import { describe, expect, it } from 'vitest';
import {
  AppError,
  BadRequestError,
  ConfigError,
  ForbiddenError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  ServiceUnavailableError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../../lib/errors.js';

describe('error classes', () => {
  const cases: ReadonlyArray<[AppError, number, string, string]> = [
    [new BadRequestError(), 400, 'bad_request', 'BadRequestError'],
    [new ValidationError(), 400, 'validation_failed', 'ValidationError'],
    [new UnauthorizedError(), 401, 'unauthorized', 'UnauthorizedError'],
    [new ForbiddenError(), 403, 'forbidden', 'ForbiddenError'],
    [new NotFoundError(), 404, 'not_found', 'NotFoundError'],
    [new MethodNotAllowedError(['GET']), 405, 'method_not_allowed', 'MethodNotAllowedError'],
    [new PayloadTooLargeError(), 413, 'payload_too_large', 'PayloadTooLargeError'],
    [new UnsupportedMediaTypeError(), 415, 'unsupported_media_type', 'UnsupportedMediaTypeError'],
    [new RateLimitedError(30), 429, 'rate_limited', 'RateLimitedError'],
    [new ServiceUnavailableError(), 503, 'service_unavailable', 'ServiceUnavailableError'],
    [new ConfigError('bad config'), 500, 'config_invalid', 'ConfigError'],
  ];

  it.each(cases)('%s carries status %i, code %s and its own name', (error, status, code, name) => {
    // Assess
    expect(error).toBeInstanceOf(AppError);
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
  });

  it('exposes the message only for client errors (status below 500)', () => {
    // Assess
    expect(new AppError(499, 'x', 'm').expose).toBe(true);
    expect(new NotFoundError().expose).toBe(true);
    expect(new RateLimitedError(1).expose).toBe(true);
    expect(new AppError(500, 'x', 'm').expose).toBe(false);
    expect(new ServiceUnavailableError().expose).toBe(false);
    expect(new ConfigError('m').expose).toBe(false);
  });

  it('keeps the cause it wraps', () => {
    // Prepare
    const cause = new Error('socket hang up');

    // Act
    const error = new ServiceUnavailableError('redis down', { cause });

    // Assess
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('redis down');
  });

  it('keeps a non-Error cause too', () => {
    // Act
    const error = new BadRequestError('bad', { cause: 'a string' });

    // Assess
    expect(error.cause).toBe('a string');
  });

  it('leaves cause unset when none is given', () => {
    // Act
    const error = new BadRequestError();

    // Assess
    expect('cause' in error).toBe(false);
  });

  it('carries client-safe details', () => {
    // Act
    const error = new ValidationError('bad', { details: { field: 'x' } });

    // Assess
    expect(error.details).toEqual({ field: 'x' });
  });

  it('puts the allowed methods of a 405 in allow and in details', () => {
    // Act
    const error = new MethodNotAllowedError(['GET', 'HEAD'], 'nope', { cause: 'c' });

    // Assess
    expect(error.allow).toEqual(['GET', 'HEAD']);
    expect(error.details).toEqual({ allow: ['GET', 'HEAD'] });
    expect(error.message).toBe('nope');
    expect(error.cause).toBe('c');
  });

  it('carries the retry delay of a 429', () => {
    // Act
    const error = new RateLimitedError(42);

    // Assess
    expect(error.retryAfterSeconds).toBe(42);
    expect(error.message).toBe('rate limit exceeded');
  });
});
