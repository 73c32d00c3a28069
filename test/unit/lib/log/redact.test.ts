import { afterEach, describe, expect, it } from 'vitest';
import {
  clearSecretValues,
  isSensitiveKey,
  redactReplacer,
  redactString,
  registerSecretValue,
} from '../../../../lib/log/redact.js';

/** Serialises the way the logger does: JSON.stringify with the redacting replacer. */
function serialise(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, redactReplacer));
}

describe('isSensitiveKey', () => {
  it.each(['Authorization', 'authorization', 'x-api-key', 'X-API-Key', 'X_API_KEY', 'apiKey', 'password', 'Set-Cookie', 'DATABASE_URL', 'client_secret'])(
    'treats %s as sensitive',
    (key) => {
      // Assess
      expect(isSensitiveKey(key)).toBe(true);
    },
  );

  it.each(['message', 'correlation_id', 'passwordHint', 'tokens_used', 'author'])('does not treat %s as sensitive', (key) => {
    // Assess
    expect(isSensitiveKey(key)).toBe(false);
  });
});

describe('redaction by key', () => {
  it('replaces the values of sensitive keys, whatever their case or separator', () => {
    // Act
    const out = serialise({ Authorization: 'Basic dXNlcjpwdw==', 'x-api-key': 'k-123', X_API_KEY: 'k-456', password: 'hunter2', user: 'ann' });

    // Assess
    expect(out).toEqual({ Authorization: '[REDACTED]', 'x-api-key': '[REDACTED]', X_API_KEY: '[REDACTED]', password: '[REDACTED]', user: 'ann' });
  });

  it('redacts sensitive keys nested in objects and arrays', () => {
    // Act
    const out = serialise({ request: { headers: { authorization: 'abc' } }, attempts: [{ password: 'p1' }, { token: 't2', ok: true }] });

    // Assess
    expect(out).toEqual({
      request: { headers: { authorization: '[REDACTED]' } },
      attempts: [{ password: '[REDACTED]' }, { token: '[REDACTED]', ok: true }],
    });
  });

  it('replaces a whole object under a sensitive key', () => {
    // Act
    const out = serialise({ secret: { inner: 'value' } });

    // Assess
    expect(out).toEqual({ secret: '[REDACTED]' });
  });

  it('leaves null and absent values under sensitive keys alone', () => {
    // Act
    const out = serialise({ password: null, token: undefined });

    // Assess
    expect(out).toEqual({ password: null });
  });

  it('writes bigints as strings instead of failing', () => {
    // Act
    const out = serialise({ count: 12345678901234567890n });

    // Assess
    expect(out).toEqual({ count: '12345678901234567890' });
  });
});

describe('redaction inside strings', () => {
  afterEach(() => {
    clearSecretValues();
  });

  it('masks Bearer and Basic credentials but keeps the scheme', () => {
    // Act
    const out = redactString('sent Bearer eyJhbGciOi.J9.abc-_~+/= to upstream; then Basic dXNlcjpwdw==');

    // Assess
    expect(out).toBe('sent Bearer [REDACTED] to upstream; then Basic [REDACTED]');
  });

  it('masks the password in URL credentials, keeping user and host', () => {
    // Act
    const out = redactString('connecting to postgres://u:pw@h/db');

    // Assess
    expect(out).toBe('connecting to postgres://u:[REDACTED]@h/db');
  });

  it('masks the password in URL credentials with an empty user name', () => {
    // Act
    const out = redactString('redis://:s3cr3t@cache:6379/0');

    // Assess
    expect(out).toBe('redis://:[REDACTED]@cache:6379/0');
  });

  it('leaves URLs without credentials alone', () => {
    // Act
    const out = redactString('GET https://api.example.com:443/v1/signals?a=b');

    // Assess
    expect(out).toBe('GET https://api.example.com:443/v1/signals?a=b');
  });

  it('masks registered secret values wherever they appear', () => {
    // Prepare
    registerSecretValue('hunter2-hunter2');

    // Act
    const out = serialise({ note: 'pw is hunter2-hunter2!', list: ['xhunter2-hunter2x'] });

    // Assess
    expect(out).toEqual({ note: 'pw is [REDACTED]!', list: ['x[REDACTED]x'] });
  });

  it('ignores secret values shorter than 8 characters as too common', () => {
    // Prepare
    registerSecretValue('short');

    // Act
    const out = redactString('a short note');

    // Assess
    expect(out).toBe('a short note');
  });

  it('forgets registered secrets after clearSecretValues', () => {
    // Prepare
    registerSecretValue('forget-me-please');
    clearSecretValues();

    // Act
    const out = redactString('forget-me-please');

    // Assess
    expect(out).toBe('forget-me-please');
  });
});

describe('redaction inside free text', () => {
  it('masks password=… and token: … assignments in a message', () => {
    const out = redactString('connect failed: password=hunter2 host=db token: "abc def" apikey=k1');

    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('abc def');
    expect(out).not.toContain('k1');
    expect(out).toContain('host=db');
  });

  it('masks a lower-case bearer token', () => {
    expect(redactString('authorization: bearer abc.def')).not.toContain('abc.def');
  });
});
