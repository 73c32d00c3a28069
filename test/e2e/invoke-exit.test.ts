// `npm run invoke` as a process (issue 13): in-process on an embedded database against faulty
// sources (GitHub 500, Reddit garbage, X 429, arXiv's error feed, HN too slow), it prints the job's
// result and exits within a second, with the job's status.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../infra/local/settings.js';
import { seedPgliteDirectory } from '../support/databases.js';
import { fixture, startSourceServer, unusedPort, type Reply, type SourceServer, sourceEnv } from '../support/source-server.js';

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  /** ms from the last byte of output (the result, or the failure on stderr) to the process's exit. */
  exitAfterResultMs: number;
}

/** Runs `npm run invoke -- <args>` (its script, as npm would) and times its exit against its output. */
function invoke(args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/invoke.ts', ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let lastOutputAt = performance.now();
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      lastOutputAt = performance.now();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      lastOutputAt = performance.now();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, exitAfterResultMs: performance.now() - lastOutputAt });
    });
  });
}

const FAULTY: Record<string, () => Reply> = {
  github: () => ({ status: 500, body: 'oops' }),
  reddit: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"data": garbage' }),
  x: () => ({ status: 429, headers: { 'retry-after': '3600' }, body: '{}' }),
  arxiv: () => ({ status: 200, headers: { 'content-type': 'application/atom+xml' }, body: fixture('arxiv-error.xml') }),
  hackernews: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: fixture('hackernews-page-0.json'), delayMs: 5_000 }),
};

describe('npm run invoke -- discover as a process', () => {
  let server: SourceServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    server = await startSourceServer((request): Reply => {
      if (request.path === '/reddit-auth/api/v1/access_token') return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"access_token":"t","expires_in":86400}' };
      const answer = FAULTY[request.path.split('/')[1] ?? ''];
      return answer === undefined ? { status: 404 } : answer();
    });
    dir = await mkdtemp(join(tmpdir(), 'sh-invoke-'));
    // A database a previous run left (the exit is under test here, not a first run's initdb).
    await seedPgliteDirectory(join(dir, 'pglite'));
    const { LAMBDA_ENDPOINT: _endpoint, PUSHGATEWAY_URL: _pushgateway, DATABASE_URL: _database, ...rest } = process.env;
    env = {
      ...rest,
      PGLITE_DIR: join(dir, 'pglite'),
      PORT: String(await unusedPort()),
      LOG_LEVEL: 'warn',
      ...sourceEnv(server.url),
      SOURCE_TIMEOUT_MS: '300',
    };
  }, 30_000);

  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('exits within a second of the job’s end after a faulty-sources run, with the job’s status', async () => {
    // Act
    const outcome = await invoke(['discover'], env);

    // Assess: every source failed, so the job failed (the handler throws, as Lambda needs for its
    // retry), and the process said so and left at once with status 1
    expect(outcome.stderr).toMatch(/discover failed: job discover failed \(run \d+\): every source failed/);
    expect(outcome.code).toBe(1);
    expect(outcome.exitAfterResultMs).toBeLessThan(1_000);
  }, 120_000);
});
