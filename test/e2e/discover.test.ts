// The discover job end to end, as a developer runs it: the local runtime serving the real
// serverless.yml (in this process, on a migrated PGlite), the sources pointed at a local server
// answering with their recorded responses, and `npm run invoke -- discover` in its own process,
// which runs the job in the runtime through its Lambda Invoke API. Then the API shows what it stored.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRuntimeFile } from '../../infra/local/runtime-file.js';
import { repoRoot } from '../../infra/local/settings.js';
import { E2E_START_TIMEOUT_MS, startE2eRuntime, type E2eRuntime } from '../support/e2e-runtime.js';
import { fixture, startSourceServer, type ReceivedRequest, type Reply, type SourceServer, sourceEnv } from '../support/source-server.js';

const run = promisify(execFile);

const RECORDED: Record<string, { file: string; type: string }> = {
  hackernews: { file: 'hackernews-page-2.json', type: 'application/json' },
  github: { file: 'github-search-page-1.json', type: 'application/json' },
  arxiv: { file: 'arxiv-page-0.xml', type: 'application/atom+xml' },
  reddit: { file: 'reddit-new-page-1.json', type: 'application/json' },
  x: { file: 'x-recent-search-page-1.json', type: 'application/json' },
};

interface SignalJson {
  id: string;
  source: string;
  score: number;
}

describe('npm run invoke -- discover against the local runtime', () => {
  let server: SourceServer;
  let runtime: E2eRuntime;
  const slack: ReceivedRequest[] = [];

  beforeAll(async () => {
    server = await startSourceServer((request): Reply => {
      if (request.path === '/slack') {
        slack.push(request);
        return { status: 200, body: 'ok' };
      }
      if (request.path === '/reddit-auth/api/v1/access_token') return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"access_token":"e2e","expires_in":86400}' };
      const source = request.path.split('/')[1] ?? '';
      const recorded = RECORDED[source];
      return recorded === undefined ? { status: 404 } : { status: 200, headers: { 'content-type': recorded.type }, body: fixture(recorded.file) };
    });
    const env = {
      ...sourceEnv(server.url),
      SLACK_WEBHOOK_URL: `${server.url}/slack`,
      NOTIFY_MIN_SALIENCE: '0',
      NOTIFY_MIN_DISCOVERY_SCORE: '0',
      LAMBDA_ENDPOINT: undefined,
      PUSHGATEWAY_URL: undefined,
    };
    runtime = await startE2eRuntime({ env });
  }, E2E_START_TIMEOUT_MS);

  afterAll(async () => {
    await runtime.close();
    await server.close();
  });

  it('fills the database, and GET /v1/signals ranks what it stored by score', async () => {
    // Act: the developer's command, in its own process, pointed at the runtime's port
    // (the runtime runs in this process: its file, which npm start writes, is written here)
    const runtimeFile = join(await mkdtemp(join(tmpdir(), 'sh-runtime-')), 'local-runtime.json');
    writeRuntimeFile(runtimeFile, { pid: process.pid, url: runtime.url, token: runtime.runtime.invokeToken });
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'infra/local/invoke.ts', 'discover'], {
      cwd: repoRoot,
      env: { ...process.env, LOCAL_RUNTIME_FILE: runtimeFile, LOG_LEVEL: 'warn' },
      timeout: 60_000,
    });
    await rm(dirname(runtimeFile), { recursive: true, force: true });
    const result = JSON.parse(stdout) as { status: string; runId: string; result: { inserted: number; sources: Record<string, { status: string }> } };

    // Assess: the job's own report…
    expect(result.status).toBe('succeeded');
    expect(Object.values(result.result.sources).map((source) => source.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(result.result.inserted).toBeGreaterThan(10);
    // … what the API serves: every stored signal, best first, from every source
    const response = await fetch(`${runtime.url}/v1/signals?sort=score&limit=100`);
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: SignalJson[] };
    expect(items).toHaveLength(result.result.inserted);
    const scores = items.map((item) => item.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(new Set(items.map((item) => item.source))).toEqual(new Set(Object.keys(RECORDED)));
    // … and one Slack message for the run
    expect(slack).toHaveLength(1);
  });
});
