// errorText is a text helper: bounded to the length job_runs.error holds (without importing the
// database, so the two limits are compared here), never a stack, secrets masked.
import { describe, expect, it } from 'vitest';
import { MAX_ERROR_LENGTH } from '../../../../lib/db/job-runs-repo.js';
import { ERROR_TEXT_MAX_CHARS, errorText } from '../../../../lib/log/error-text.js';

describe('errorText', () => {
  it('is bounded by exactly what job_runs.error holds', () => {
    expect(ERROR_TEXT_MAX_CHARS).toBe(MAX_ERROR_LENGTH);
    const text = errorText(new Error('x'.repeat(5000)));
    expect(text).toHaveLength(ERROR_TEXT_MAX_CHARS);
    expect(text.endsWith('…')).toBe(true);
  });

  it('names the error and its cause, on one line without stack frames', () => {
    const error = new TypeError('bad\n    at fn (file.js:1:2)\nthing', { cause: new RangeError('inner') });

    expect(errorText(error)).toBe('TypeError: bad thing (cause: RangeError: inner)');
  });

  it('masks credentials in URLs', () => {
    expect(errorText(new Error('connect to postgres://user:hunter2@db.example/x failed'))).not.toContain('hunter2');
  });
});
