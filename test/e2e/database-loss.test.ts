// The database going away under `npm start`, with real processes: the runtime (infra/local/start.ts)
// on real Postgres through the Neon bridge, which runs as its own process and is killed (SIGKILL)
// and started again on the same port. Whatever the database does, a request that needs it is
// answered in our JSON shape (503 service_unavailable, requestId, security headers, an access-log
// line), never a bare 500; the runtime picks the database up once it is back, even when it was
// down at start; and SIGTERM stops it with exit code 0. No log line says "[object Object]".
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabases, createPostgresDatabase, type TestDatabase } from '../support/databases.js';
import { spawnTsx, startBridgeProcess, unusedPort, type Spawned } from '../support/processes.js';

const LIST = '/v1/signals?limit=1';
/** Never the developer's .data/local-runtime.json (a running npm start's). */
const runtimeFile = (): string => join(tmpdir(), `sh-local-runtime-${randomUUID()}.json`);

interface ErrorJson {
  error: { code: string; message: string; requestId: string };
}

describe('the local runtime when the database goes', () => {
  let database: TestDatabase;
  let bridgePort: number;
  let bridge: Spawned | undefined;
  let runtime: Spawned;
  let url: string;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    bridgePort = await unusedPort();
    // Started while nothing listens on the bridge's port: the database is down from the start.
    runtime = spawnTsx('infra/local/start.ts', {
      PORT: '0',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      NEON_WS_PROXY: `127.0.0.1:${String(bridgePort)}/v2`,
      UPSTASH_REDIS_REST_URL: '',
      UPSTASH_REDIS_REST_TOKEN: '',
      LOCAL_RUNTIME_FILE: runtimeFile(),
    });
    const ready = await runtime.waitFor((line) => typeof line.url === 'string', 60_000);
    url = ready.url as string;
  }, 90_000);

  afterAll(async () => {
    await runtime.stop('SIGKILL');
    await bridge?.stop('SIGKILL');
    await database.dispose();
    await closeDatabases();
  });

  async function expectUnavailable(response: Response): Promise<void> {
    expect(response.status).toBe(503);
    const body = (await response.json()) as ErrorJson;
    expect(body.error.code).toBe('service_unavailable');
    expect(body.error.message).toBe('service unavailable');
    expect(body.error.requestId).toMatch(/.+/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  }

  it('answers 503 in our shape while the database was never reachable', async () => {
    const response = await fetch(`${url}${LIST}`, { headers: { 'x-correlation-id': 'db-down-1' } });

    await expectUnavailable(response);
    const access = await runtime.waitFor((line) => line.message === 'request completed' && line.correlation_id === 'db-down-1');
    expect(access.status).toBe(503);
  });

  it('uses the database once it is back, without a restart', async () => {
    bridge = await startBridgeProcess(bridgePort);

    const response = await fetch(`${url}${LIST}`);

    expect(response.status).toBe(200);
    await runtime.waitFor((line) => line.message === 'database ready');
  });

  it('answers 503, never a bare 500, while the bridge is killed mid-traffic, and recovers', async () => {
    // Act: traffic, the bridge killed, traffic, the bridge back, traffic
    const before = await Promise.all(Array.from({ length: 5 }, () => fetch(`${url}${LIST}`)));
    await bridge?.stop('SIGKILL');
    const during = await Promise.all(Array.from({ length: 20 }, () => fetch(`${url}${LIST}`)));
    bridge = await startBridgeProcess(bridgePort);
    const after = await fetch(`${url}${LIST}`);

    // Assess
    expect(before.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    for (const response of during) await expectUnavailable(response);
    expect(after.status).toBe(200);
  });

  it('logs what went wrong by its message, never "[object Object]"', () => {
    const failures = runtime.lines.filter((line) => line.message === 'request failed');
    expect(failures.length).toBeGreaterThan(0);
    expect(JSON.stringify(failures)).toMatch(/database unavailable/);
    expect(runtime.output()).not.toContain('[object Object]');
  });

  it('stops with exit code 0 on SIGTERM', async () => {
    await bridge?.stop('SIGKILL');
    await fetch(`${url}${LIST}`).then((response) => response.arrayBuffer());

    expect(await runtime.stop('SIGTERM')).toBe(0);
  });
});

describe('a local runtime whose database never came up', () => {
  it('stops with exit code 0 on SIGTERM', async () => {
    const port = await unusedPort();
    const runtime = spawnTsx('infra/local/start.ts', {
      PORT: '0',
      LOG_LEVEL: 'info',
      DATABASE_URL: 'postgres://postgres@neon-bridge.localhost:5432/test',
      NEON_WS_PROXY: `127.0.0.1:${String(port)}/v2`,
      UPSTASH_REDIS_REST_URL: '',
      UPSTASH_REDIS_REST_TOKEN: '',
      LOCAL_RUNTIME_FILE: runtimeFile(),
    });
    const ready = await runtime.waitFor((line) => typeof line.url === 'string', 60_000);
    await runtime.waitFor((line) => typeof line.message === 'string' && line.message.startsWith('database failed to open'));
    const response = await fetch(`${String(ready.url)}${LIST}`);
    expect(response.status).toBe(503);

    expect(await runtime.stop('SIGTERM')).toBe(0);
    expect(runtime.output()).not.toContain('[object Object]');
  }, 60_000);
});
