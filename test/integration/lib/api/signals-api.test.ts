// The signals API's reads at the request's deadline, on Postgres: a request whose deadline has
// already passed answers 503 in our error shape without touching the database, and a list or get
// still waiting on the database (the table held by another transaction) answers 503 at its
// deadline instead of running into the Lambda's timeout; the next request is served as usual.
import type { APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { setDb } from '../../../../lib/db/client.js';
import { sql } from '../../../../lib/db/sql.js';
import { upsertSignals } from '../../../../lib/db/signals-upsert.js';
import type { ErrorBody } from '../../../../lib/http/errors.js';
import { httpFunction } from '../../../../lib/http/index.js';
import { mountSignalsApi } from '../../../../lib/api/signals-api.js';
import { closeDatabases, createPostgresDatabase, type TestDatabase } from '../../../support/databases.js';
import { holdTable } from '../../../support/hold-table.js';
import { httpEvent, lambdaContext } from '../../../support/http-event.js';
import { makeSignal } from '../../../support/signal-factory.js';

const handler = httpFunction('signals-test', mountSignalsApi);

let database: TestDatabase;
let signalId: string;

beforeAll(async () => {
  database = await createPostgresDatabase();
  await upsertSignals(database.db, [makeSignal()]);
  const [row] = await database.db.query<{ id: string }>(sql`SELECT id::text AS id FROM signals LIMIT 1`);
  signalId = row?.id ?? '';
  setDb(database.db);
});

afterAll(async () => {
  await database.dispose();
  await closeDatabases();
});

beforeEach(() => {
  // Keeps the access and error log lines out of the test output.
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterEach(() => {
  vi.restoreAllMocks();
});

function structured(result: APIGatewayProxyResultV2): APIGatewayProxyStructuredResultV2 {
  if (typeof result === 'string') throw new Error('expected a structured result');
  return result;
}

async function get(path: string, timeoutMs: number): Promise<APIGatewayProxyStructuredResultV2> {
  return structured(await handler(httpEvent('GET', path), lambdaContext('signals-test', timeoutMs)));
}

function expectUnavailable(result: APIGatewayProxyStructuredResultV2): void {
  expect(result.statusCode).toBe(503);
  expect((JSON.parse(result.body ?? '') as ErrorBody).error).toMatchObject({ code: 'service_unavailable', message: 'service unavailable' });
}

describe('the signals API at the request deadline', () => {
  it('answers 503 in our shape when the deadline has already passed', async () => {
    // Act
    const list = await get('/v1/signals', 0);
    const one = await get(`/v1/signals/${signalId}`, 0);

    // Assess
    expectUnavailable(list);
    expectUnavailable(one);
  });

  it('stops waiting on the database at the deadline, then serves the next request', async () => {
    // Arrange: another transaction holds the signals table, so the route's read waits
    const table = await holdTable(database.db, 'signals');

    // Act: 400 ms left, so the deadline falls 200 ms in (at most half is kept back)
    const started = Date.now();
    const waiting = await get('/v1/signals', 400);
    const waited = Date.now() - started;
    await table.release();
    const after = await get(`/v1/signals/${signalId}`, 10_000);

    // Assess: answered before the Lambda's own deadline; the database still serves
    expectUnavailable(waiting);
    expect(waited).toBeGreaterThanOrEqual(150);
    expect(waited).toBeLessThan(400);
    expect(after.statusCode).toBe(200);
    expect((JSON.parse(after.body ?? '') as { id: string }).id).toBe(signalId);
  });
});
