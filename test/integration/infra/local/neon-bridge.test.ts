// The real @neondatabase/serverless driver (WebSocket Pool/Client) against the real PostgreSQL,
// through the neon-bridge. Each test owns its pool and ends it, so the bridge is idle in between.
import { randomBytes } from 'node:crypto';
import { Client, Pool } from '@neondatabase/serverless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startNeonBridge, type NeonBridge } from '../../../../infra/local/neon-bridge.js';
import { neonBridgeDatabaseUrl, useNeonBridge } from '../../../support/neon.js';

// Identifiers cannot be query parameters; the name is ours (hex), never input.
const schema = `t_${randomBytes(6).toString('hex')}`;
let bridge: NeonBridge;

function newPool(): Pool {
  const pool = new Pool({ connectionString: neonBridgeDatabaseUrl(), max: 4 });
  // An idle client whose socket dies is reported here; without a listener it would crash the run.
  pool.on('error', () => undefined);
  return pool;
}

async function withPool<T>(use: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = newPool();
  try {
    return await use(pool);
  } finally {
    await pool.end();
    // end() resolves when the WebSockets close; the bridge's TCP side follows a moment later.
    await until(() => bridge.connections === 0);
  }
}

/** Rejects with `hung` if `promise` has not settled within `ms`: a hang must fail, not time out. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('hung')), ms);
  });
  return Promise.race([promise, hung]).finally(() => clearTimeout(timer));
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  bridge = await startNeonBridge();
  useNeonBridge(bridge);
  await withPool((pool) => pool.query(`CREATE SCHEMA ${schema}`));
});

afterAll(async () => {
  await withPool((pool) => pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  await bridge.close();
});

describe('neon-bridge with the real Neon driver', () => {
  it('answers SELECT 1', async () => {
    const { rows } = await withPool((pool) => pool.query<{ one: number }>('SELECT 1 AS one'));

    expect(rows).toEqual([{ one: 1 }]);
  });

  it('passes query parameters to Postgres', async () => {
    const { rows } = await withPool((pool) =>
      pool.query<{ sum: number; name: string }>('SELECT $1::int + $2::int AS sum, $3::text AS name', [2, 3, 'neon']),
    );

    expect(rows).toEqual([{ sum: 5, name: 'neon' }]);
  });

  it('keeps a committed transaction and forgets a rolled-back one', async () => {
    const counts = await withPool(async (pool) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`CREATE TABLE ${schema}.items (name text NOT NULL)`);
        await client.query(`INSERT INTO ${schema}.items (name) VALUES ($1)`, ['kept']);
        await client.query('COMMIT');
        await client.query('BEGIN');
        await client.query(`INSERT INTO ${schema}.items (name) VALUES ($1)`, ['dropped']);
        const inside = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.items`);
        await client.query('ROLLBACK');
        const after = await pool.query<{ name: string }>(`SELECT name FROM ${schema}.items`);
        return { inside: inside.rows[0]?.n, after: after.rows.map((row) => row.name) };
      } finally {
        client.release();
      }
    });

    expect(counts).toEqual({ inside: 2, after: ['kept'] });
  });

  it('serves two concurrent clients on separate Postgres backends', async () => {
    const { pids, elapsedMs } = await withPool(async (pool) => {
      const [a, b] = await Promise.all([pool.connect(), pool.connect()]);
      try {
        const started = Date.now();
        const sleepAndPid = 'SELECT pg_backend_pid() AS pid FROM pg_sleep(0.4)';
        const [ra, rb] = await Promise.all([
          a.query<{ pid: number }>(sleepAndPid),
          b.query<{ pid: number }>(sleepAndPid),
        ]);
        return { pids: [ra.rows[0]?.pid, rb.rows[0]?.pid], elapsedMs: Date.now() - started };
      } finally {
        a.release();
        b.release();
      }
    });

    expect(pids[0]).not.toBe(pids[1]);
    // Two 0.4 s sleeps in series would take 0.8 s.
    expect(elapsedMs).toBeLessThan(750);
  });

  it('surfaces a Postgres error with its code and the pool keeps working', async () => {
    await withPool(async (pool) => {
      await expect(pool.query('SELEC 1')).rejects.toMatchObject({ code: '42601' });

      const { rows } = await pool.query<{ ok: boolean }>('SELECT true AS ok');
      expect(rows).toEqual([{ ok: true }]);
    });
  });

  it('closes the TCP side when the pool ends', async () => {
    const pool = newPool();
    expect(bridge.connections).toBe(0);
    const [a, b] = await Promise.all([pool.connect(), pool.connect()]);
    a.release();
    b.release();
    expect(bridge.connections).toBe(2);

    await pool.end();

    await until(() => bridge.connections === 0);
    expect(bridge.connections).toBe(0);
  });

  it('bridges the `?address=` form the driver builds from a string wsProxy', async () => {
    const client = new Client('postgres://postgres@127.0.0.1:5432/test');
    // Per-client config: the driver appends `?address=127.0.0.1:5432` to a string wsProxy.
    client.neonConfig.wsProxy = `${bridge.host}:${bridge.port}/v2`;

    await client.connect();
    const { rows } = await client.query<{ one: number }>('SELECT 1 AS one');
    await client.end();

    expect(rows).toEqual([{ one: 1 }]);
  });

  it('refuses a connection to an address other than the configured Postgres', async () => {
    const ws = new WebSocket(`ws://${bridge.host}:${bridge.port}/v2?address=169.254.169.254:80`);
    ws.on('error', () => undefined);

    const closed = await new Promise<{ code: number; reason: string }>((resolve) => {
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });

    expect(closed).toEqual({ code: 1008, reason: 'address not allowed' });
    expect(bridge.connections).toBe(0);
  });

  it('refuses the driver when its address is not the configured Postgres', async () => {
    const client = new Client('postgres://postgres@10.0.0.1:5432/test');
    client.neonConfig.wsProxy = `${bridge.host}:${bridge.port}/v2`;
    client.on('error', () => undefined);

    await expect(within(2000, client.connect())).rejects.toThrow(/terminated/i);
  });
});

describe('a client whose bridge dies, as after a frozen Lambda', () => {
  async function connectedThroughOwnBridge(): Promise<{ client: Client; doomed: NeonBridge }> {
    const doomed = await startNeonBridge();
    const client = new Client(neonBridgeDatabaseUrl());
    client.neonConfig.wsProxy = () => `${doomed.host}:${doomed.port}/v2`;
    // The socket drop is also reported as an event; the test asserts on the query instead.
    client.on('error', () => undefined);
    await client.connect();
    return { client, doomed };
  }

  it('rejects an in-flight query instead of hanging', async () => {
    const { client, doomed } = await connectedThroughOwnBridge();
    const inFlight = client.query('SELECT pg_sleep(5)');

    await doomed.close();

    await expect(within(2000, inFlight)).rejects.toThrow(/terminated/i);
  });

  it('rejects a query sent after the connection died while idle', async () => {
    const { client, doomed } = await connectedThroughOwnBridge();
    const ended = new Promise((resolve) => client.once('end', resolve));
    await doomed.close();
    await ended;

    await expect(within(2000, client.query('SELECT 1'))).rejects.toThrow(/not queryable/i);
  });
});
