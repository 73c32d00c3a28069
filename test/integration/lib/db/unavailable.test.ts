// A database that cannot be reached, through the production driver (Neon's Pool over WebSockets):
// a port where nothing listens (the driver rejects with a socket ErrorEvent, not an Error) and a
// black hole (a TCP server that accepts and never answers: only the connect timeout ends the
// wait). Each becomes DatabaseUnavailableError at the data boundary, and a route that needs the
// database answers 503 service_unavailable in our shape, with the cause's message in the log.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mountSignalsApi } from '../../../../lib/api/signals-api.js';
import { resetDb, setDb } from '../../../../lib/db/client.js';
import { DatabaseUnavailableError } from '../../../../lib/db/errors.js';
import { createNeonDb } from '../../../../lib/db/neon.js';
import { sql } from '../../../../lib/db/sql.js';
import type { Db } from '../../../../lib/db/types.js';
import { resetConfig } from '../../../../lib/config.js';
import { createApp } from '../../../../lib/http/app.js';
import { resetLog } from '../../../../lib/log/index.js';
import { captureLogLines, captureOutput } from '../../../support/capture-log.js';
import { neonBridgeDatabaseUrl } from '../../../support/neon.js';
import { unusedPort } from '../../../support/processes.js';

const CONNECT_TIMEOUT_MS = 1_000;

let blackHole: Server;
const held = new Set<Socket>();

beforeAll(async () => {
  blackHole = createServer((socket) => {
    held.add(socket); // accepted, never answered, never closed by us until the end
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  for (const socket of held) socket.destroy();
  await new Promise<void>((resolve) => blackHole.close(() => resolve()));
});

afterEach(async () => {
  vi.restoreAllMocks();
  await resetDb();
  resetLog();
});

function neonAt(port: number): Promise<Db> {
  return createNeonDb({
    connectionString: neonBridgeDatabaseUrl('test'),
    max: 1,
    statementTimeoutMs: 5_000,
    wsProxy: `127.0.0.1:${String(port)}/v2`,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
  });
}

describe('the Neon driver against a database it cannot reach', () => {
  it('rejects a refused connection with DatabaseUnavailableError, the ErrorEvent as its cause', async () => {
    const db = await neonAt(await unusedPort());

    const error: unknown = await db.query(sql`SELECT 1`).catch((thrown: unknown) => thrown);
    await db.close();

    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as DatabaseUnavailableError).status).toBe(503);
    expect((error as Error).cause).toBeDefined();
    expect((error as Error).message).not.toContain('[object');
  });

  it('gives up on a black hole after the connect timeout, as DatabaseUnavailableError', async () => {
    const db = await neonAt((blackHole.address() as AddressInfo).port);
    const started = performance.now();

    const error: unknown = await db.query(sql`SELECT 1`).catch((thrown: unknown) => thrown);
    const elapsed = performance.now() - started;
    await db.close();

    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(elapsed).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(CONNECT_TIMEOUT_MS + 4_000);
  });
});

describe('a route whose database is unreachable', () => {
  it.each([
    { what: 'refused', port: () => unusedPort() },
    { what: 'black-holed', port: () => Promise.resolve((blackHole.address() as AddressInfo).port) },
  ])('answers 503 service_unavailable in our shape when the database is $what', async ({ port }) => {
    // Prepare
    process.env.LOG_LEVEL = 'error';
    resetConfig();
    resetLog();
    setDb(await neonAt(await port()));
    const app = createApp({ name: 'db-down' });
    mountSignalsApi(app);
    const output = captureOutput();
    const errors = captureLogLines('ERROR');

    // Act
    const response = await app.request('/v1/signals?limit=1', { headers: { 'x-correlation-id': 'db-down' } });

    // Assess
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: { code: 'service_unavailable', message: 'service unavailable', requestId: 'db-down' } });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const failed = errors().find((line) => line.message === 'request failed');
    expect((failed?.error as { name?: string } | undefined)?.name).toBe('DatabaseUnavailableError');
    expect(JSON.stringify(failed)).toMatch(/database unavailable: \S/);
    expect(output()).not.toContain('[object Object]');
    delete process.env.LOG_LEVEL;
    resetConfig();
  });
});
