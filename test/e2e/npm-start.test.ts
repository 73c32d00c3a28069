// What a newcomer gets from `npm start`: the real entry point, in its own process, serving the
// real serverless.yml. The port is chosen by the OS (PORT=0) and read from the start-up log.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRuntimeFile } from '../../infra/local/runtime-file.js';
import { repoRoot } from '../../infra/local/settings.js';

/** Where this runtime tells `npm run invoke` its URL and token (never the developer's own file). */
const RUNTIME_FILE = join(tmpdir(), `sh-local-runtime-${randomUUID()}.json`);

describe('npm start', () => {
  let child: ChildProcess;
  let url = '';
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: '0',
        LOG_LEVEL: 'info',
        CORS_ALLOWED_ORIGINS: 'https://app.example',
        // Its own embedded database: never the developer's .data/pglite (PGlite has no lock).
        PGLITE_DIR: join(repoRoot, '.data/test/pglite-npm-start'),
        LOCAL_RUNTIME_FILE: RUNTIME_FILE,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const reader = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    reader.on('line', (line) => {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    });
    // A new embedded database takes seconds to initialise on the first run; later runs reuse it.
    const deadline = Date.now() + 60_000;
    while (url === '' && Date.now() < deadline) {
      const ready = lines.find((line) => typeof line.url === 'string');
      if (ready) url = ready.url as string;
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (url === '') throw new Error('npm start did not report its URL within 60 s');
  }, 70_000);

  afterAll(async () => {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
  });

  it('shares its Invoke API token through a file only its user can read, and serves only that token', async () => {
    const running = readRuntimeFile(RUNTIME_FILE);
    const invoke = (token: string): Promise<Response> =>
      fetch(`${url}/2015-03-31/functions/janitor/invocations`, {
        method: 'POST',
        headers: { 'x-amz-invocation-type': 'DryRun', authorization: `AWS4-HMAC-SHA256 Credential=${token}/local/local/lambda/aws4_request` },
      });

    expect(running).toMatchObject({ pid: child.pid, url });
    expect(statSync(RUNTIME_FILE).mode & 0o777).toBe(0o600);
    expect((await invoke(running?.token ?? '')).status).toBe(204);
    expect((await invoke('local')).status).toBe(403);
  });

  it('logs the routes and schedules it serves', () => {
    const routes = lines.find((line) => line.message === 'routes');
    expect(routes?.routes).toEqual(expect.arrayContaining(['ANY /health/live', 'ANY /v1/signals', 'ANY /v1/signals/{id}', '$default']));
    expect((routes?.routes as string[]).at(-1)).toBe('$default');
    expect(lines.some((line) => line.message === 'schedules')).toBe(true);
  });

  it('serves GET /health/live with the liveness body, correlation id and security headers', async () => {
    // Act
    const response = await fetch(`${url}/health/live`, { headers: { 'x-correlation-id': 'e2e-123' } });
    const body = (await response.json()) as Record<string, unknown>;

    // Assess
    expect(response.status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['status', 'timestamp', 'uptime_seconds', 'version']);
    expect(body.status).toBe('healthy');
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(typeof body.uptime_seconds).toBe('number');
    expect(response.headers.get('x-correlation-id')).toBe('e2e-123');
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('answers an unknown path with our JSON 404 through the $default function', async () => {
    const response = await fetch(`${url}/v1/nothing-here`);
    const body = (await response.json()) as { error: { code: string; requestId: string } };

    expect(response.status).toBe(404);
    expect(body.error.code).toBe('not_found');
    expect(body.error.requestId).toBe(response.headers.get('x-correlation-id'));
  });

  it('answers a wrong method with JSON 405 and Allow', async () => {
    const response = await fetch(`${url}/health/live`, { method: 'DELETE' });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
  });

  it('answers CORS from the functions only, for allowed origins only', async () => {
    const allowed = await fetch(`${url}/health/live`, { headers: { origin: 'https://app.example' } });
    const other = await fetch(`${url}/health/live`, { headers: { origin: 'https://evil.example' } });
    const preflight = await fetch(`${url}/v1/anything`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });

    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });
});
