import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '../../../../lib/config.js';
import { AppError } from '../../../../lib/errors.js';
import { clearSecretValues, log, registerSecretValue, resetLog } from '../../../../lib/log/index.js';

/**
 * Powertools Logger writes through a `node:console` Console bound to process.stdout (debug, info)
 * and process.stderr (warn, error). Both streams are spied on and every line parsed as JSON.
 */
function captureLines(): { lines: () => Record<string, unknown>[]; raw: () => string } {
  const chunks: string[] = [];
  const collect = (chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(collect);
  vi.spyOn(process.stderr, 'write').mockImplementation(collect);
  const raw = (): string => chunks.join('');
  return {
    raw,
    lines: () =>
      raw()
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('log', () => {
  const savedLevel = process.env.LOG_LEVEL;

  beforeEach(() => {
    // The suite runs quiet (LOG_LEVEL=warn); these tests read info lines.
    process.env.LOG_LEVEL = 'info';
    resetConfig();
    resetLog();
  });

  afterEach(() => {
    vi.restoreAllMocks();
    if (savedLevel === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = savedLevel;
    clearSecretValues();
    resetConfig();
    resetLog();
  });

  it('writes one JSON line with time, level, message and service', () => {
    // Prepare
    const out = captureLines();
    const before = Date.now();

    // Act
    log.info('hello', { items: 3 });

    // Assess
    const lines = out.lines();
    expect(lines).toHaveLength(1);
    const { time: written, ...rest } = lines[0] ?? {};
    expect(rest).toEqual({ level: 'INFO', message: 'hello', service: 'signal-harvester', items: 3 });
    expect(written).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const time = Date.parse(String(written));
    expect(time).toBeGreaterThanOrEqual(before - 1);
    expect(time).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('adds the keys of a child logger, and of its children, to every line', () => {
    // Prepare
    const out = captureLines();
    const requestLog = log.child({ function_name: 'health', correlation_id: 'abc-123', cold_start: true });

    // Act
    requestLog.info('first');
    requestLog.child({ step: 'db' }).warn('second', { attempt: 2 });

    // Assess
    const [first, second] = out.lines();
    expect(first).toMatchObject({ message: 'first', function_name: 'health', correlation_id: 'abc-123', cold_start: true });
    expect(second).toMatchObject({ level: 'WARN', message: 'second', function_name: 'health', correlation_id: 'abc-123', cold_start: true, step: 'db', attempt: 2 });
  });

  it('does not leak child keys into the shared logger', () => {
    // Prepare
    const out = captureLines();
    log.child({ correlation_id: 'only-mine' }).info('child');

    // Act
    log.info('parent');

    // Assess
    const [, parent] = out.lines();
    expect(parent).not.toHaveProperty('correlation_id');
  });

  it('drops debug lines at the default info level', () => {
    // Prepare
    delete process.env.LOG_LEVEL;
    resetConfig();
    resetLog();
    const out = captureLines();

    // Act
    log.debug('quiet');
    log.info('loud');

    // Assess
    expect(out.lines().map((line) => line.message)).toEqual(['loud']);
  });

  it('writes debug lines when LOG_LEVEL is debug', () => {
    // Prepare
    process.env.LOG_LEVEL = 'debug';
    resetConfig();
    resetLog();
    const out = captureLines();

    // Act
    log.debug('details', { n: 1 });

    // Assess
    expect(out.lines()).toEqual([expect.objectContaining({ level: 'DEBUG', message: 'details', n: 1 })]);
  });

  it('drops info lines when LOG_LEVEL is error', () => {
    // Prepare
    process.env.LOG_LEVEL = 'error';
    resetConfig();
    resetLog();
    const out = captureLines();

    // Act
    log.info('skipped');
    log.warn('skipped too');
    log.error('kept');

    // Assess
    expect(out.lines().map((line) => line.message)).toEqual(['kept']);
  });

  it('logs an Error as name, message, code, status and cause, without a stack', () => {
    // Prepare
    const out = captureLines();
    const cause = new TypeError('socket closed');
    const error = new AppError(503, 'service_unavailable', 'redis down', { cause });

    // Act
    log.error('request failed', { error });

    // Assess
    const [line] = out.lines();
    expect(line?.error).toEqual({
      name: 'AppError',
      message: 'redis down',
      code: 'service_unavailable',
      status: 503,
      cause: { name: 'TypeError', message: 'socket closed' },
    });
    expect(out.raw()).not.toContain('stack');
    expect(out.raw()).not.toContain('    at ');
  });

  it('redacts sensitive keys and credentials in a logged line', () => {
    // Prepare
    const out = captureLines();

    // Act
    log.info('calling upstream', {
      headers: { Authorization: 'Bearer abc.def', 'x-api-key': 'key-1' },
      url: 'postgres://u:pw@h/db',
      note: 'sent Bearer tok_abcdef',
    });

    // Assess
    const [line] = out.lines();
    expect(line).toMatchObject({
      headers: { Authorization: '[REDACTED]', 'x-api-key': '[REDACTED]' },
      url: 'postgres://u:[REDACTED]@h/db',
      note: 'sent Bearer [REDACTED]',
    });
    expect(out.raw()).not.toContain('abc.def');
    expect(out.raw()).not.toContain('key-1');
    expect(out.raw()).not.toContain('tok_abcdef');
  });

  it('masks a registered secret value anywhere in the line, the message included', () => {
    // Prepare
    const out = captureLines();
    registerSecretValue('s3cr3t-value-42');

    // Act
    log.child({ context: 'uses s3cr3t-value-42' }).error('failed with s3cr3t-value-42', {
      error: new Error('auth s3cr3t-value-42 rejected'),
      list: ['s3cr3t-value-42'],
    });

    // Assess
    const [line] = out.lines();
    expect(out.raw()).not.toContain('s3cr3t-value-42');
    expect(line).toMatchObject({
      message: 'failed with [REDACTED]',
      context: 'uses [REDACTED]',
      error: { message: 'auth [REDACTED] rejected' },
      list: ['[REDACTED]'],
    });
  });
});
