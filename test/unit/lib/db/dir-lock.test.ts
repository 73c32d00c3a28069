import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDirectory } from '../../../../lib/db/dir-lock.js';

describe('lockDirectory', () => {
  it('refuses a second holder and names the process that holds the lock', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'lock-')), 'pglite');
    const release = lockDirectory(dir);

    expect(() => lockDirectory(dir)).toThrow(new RegExp(`in use by process ${process.pid}`));
    release();
    expect(() => lockDirectory(dir)()).not.toThrow();
  });

  it('takes over a lock left by a process that is gone', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'lock-')), 'pglite');
    writeFileSync(`${dir}.lock`, '999999999');

    const release = lockDirectory(dir);

    expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
    release();
  });
});
