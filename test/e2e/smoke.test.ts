// `npm run smoke` against `npm start` (both real entry points, each in its own process), as CI runs
// it: every check passes with the admin key, the admin ones are skipped without it, and a server
// that is not Signal Harvester fails the run with exit code 1.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../infra/local/settings.js';
import { seedPgliteDirectory } from '../support/databases.js';

const ADMIN_KEY = `smoke-${randomBytes(24).toString('hex')}`;

interface SmokeRun {
  code: number;
  stdout: string;
}

/** Runs the smoke CLI as `npm run smoke` does, and never throws on its exit code. */
function smoke(args: string[]): Promise<SmokeRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'infra/smoke/run.ts', ...args], { cwd: repoRoot, env: { ...process.env, SMOKE_ADMIN_KEY: '' }, timeout: 120_000 }, (error, stdout) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout });
    });
  });
}

function rows(stdout: string, status: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith(status));
}

describe('npm run smoke', () => {
  let child: ChildProcess;
  let url = '';

  beforeAll(async () => {
    // A database a previous run left, made from the snapshot on a clean checkout: the smoke checks are
    // under test, not a first run's initdb (test/e2e/npm-start.test.ts keeps that one on a clean checkout).
    const pgliteDir = join(repoRoot, '.data/test/pglite-smoke');
    if (!existsSync(pgliteDir)) await seedPgliteDirectory(pgliteDir);
    child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
      cwd: repoRoot,
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ADMIN_API_KEY: ADMIN_KEY, PGLITE_DIR: pgliteDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const reader = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const ready = new Promise<string>((resolve) => {
      reader.on('line', (line) => {
        try {
          const parsed = JSON.parse(line) as { url?: unknown };
          if (typeof parsed.url === 'string') resolve(parsed.url);
        } catch {
          // not a log line
        }
      });
    });
    url = await Promise.race([ready, new Promise<string>((_, reject) => setTimeout(() => reject(new Error('npm start did not report its URL within 60 s')), 60_000))]);
  }, 70_000);

  afterAll(async () => {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
  });

  it('passes every check against npm start with the admin key, and prints the table', async () => {
    const run = await smoke([url, '--admin-key', ADMIN_KEY, '--job-timeout', '60']);

    expect(run.code, run.stdout).toBe(0);
    expect(rows(run.stdout, 'PASS')).toHaveLength(9);
    expect(run.stdout).toMatch(/^9 passed, 0 failed, 0 skipped$/m);
    expect(run.stdout).toMatch(/PASS\s+admin job run \(janitor\) and its record .* succeeded/);
    expect(run.stdout).not.toContain(ADMIN_KEY);
  }, 120_000);

  it('skips the admin checks without a key and still passes', async () => {
    const run = await smoke([url]);

    expect(run.code, run.stdout).toBe(0);
    expect(rows(run.stdout, 'SKIP')).toHaveLength(2);
    expect(run.stdout).toMatch(/^7 passed, 0 failed, 2 skipped$/m);
  });

  it('fails, exit code 1, against a server that is not Signal Harvester', async () => {
    const impostor: Server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    const { port } = impostor.address() as AddressInfo;

    const run = await smoke([`http://127.0.0.1:${String(port)}`]);
    impostor.close();

    expect(run.code, run.stdout).toBe(1);
    expect(rows(run.stdout, 'FAIL').length).toBeGreaterThanOrEqual(6);
    expect(run.stdout).toMatch(/FAIL\s+unknown path is a JSON 404\s+\d+ ms\s+200 ok/);
  });

  it('refuses a missing base URL with exit code 2 and the usage', async () => {
    const run = await smoke([]);

    expect(run.code).toBe(2);
  });
});
