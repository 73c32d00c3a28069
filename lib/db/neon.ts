// Production driver: Neon's serverless Pool over WebSockets. Built for Lambda: few connections per
// container, idle ones closed after a minute (a frozen container's socket may be dead when it
// thaws), pool errors logged instead of crashing the process, and a read retried once when its
// connection turns out to be terminated.
import { neonConfig, Pool, type PoolClient } from '@neondatabase/serverless';
import { log } from '../log/index.js';
import { watchPool } from '../metrics/db-metrics.js';
import type { Sql } from './sql.js';
import type { Db, Queryable, Session } from './types.js';

export interface NeonOptions {
  connectionString: string;
  /** Pool size per container (1–2 in Lambda). */
  max: number;
  /** Server-side statement timeout of every transaction, ms (single statements: the role's default). */
  statementTimeoutMs: number;
  /** `host:port/path` of a plain-ws proxy (local bridge); unset for Neon itself. */
  wsProxy?: string;
}

const TERMINATED = /Connection terminated|connection error|not queryable|ECONNRESET|socket hang up|WebSocket was closed/i;

function isRead(statement: Sql): boolean {
  // Only a plain SELECT is safe to repeat; a WITH may hide a write (INSERT … RETURNING).
  return /^\s*select\b/i.test(statement.text);
}

async function configureSockets(wsProxy: string | undefined): Promise<void> {
  // Lambda's Node 22 has a global WebSocket; Node 20 (local tools) needs the `ws` package.
  if (typeof globalThis.WebSocket === 'undefined' && neonConfig.webSocketConstructor === undefined) {
    const { WebSocket } = await import('ws');
    neonConfig.webSocketConstructor = WebSocket;
  }
  if (wsProxy !== undefined) {
    neonConfig.wsProxy = () => wsProxy;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineConnect = false;
    neonConfig.pipelineTLS = false;
  }
}

async function runOn<Row>(client: Pick<PoolClient, 'query'>, statement: Sql): Promise<Row[]> {
  const result = await client.query(statement.text, statement.values);
  return result.rows as Row[];
}

export async function createNeonDb(options: NeonOptions): Promise<Db> {
  await configureSockets(options.wsProxy);
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.max,
    idleTimeoutMillis: 60_000,
    connectionTimeoutMillis: 10_000,
    // No `statement_timeout` here: the driver would send it as a startup parameter, which Neon's
    // pooled endpoint (PgBouncer, transaction mode) refuses ("unsupported startup parameter"). The
    // timeout is set where the pooler keeps it: SET LOCAL in each transaction (below), and the
    // role's own default for single statements (`ALTER ROLE … SET statement_timeout`, README).
  });
  // An 'error' on an idle client is emitted by the pool; unhandled, it would kill the process.
  pool.on('error', (error: Error) => log.warn('postgres pool connection error', { error, reason: 'pool_error' }));

  const unwatch = watchPool(() => pool.totalCount);

  let closing: Promise<void> | undefined;
  const db: Db = {
    driver: 'neon',
    async query<Row>(statement: Sql): Promise<Row[]> {
      try {
        return await runOn<Row>(pool, statement);
      } catch (error) {
        if (!(error instanceof Error) || !TERMINATED.test(error.message) || !isRead(statement)) throw error;
        log.warn('retrying a read on a fresh connection', { reason: 'connection_terminated', error });
        return runOn<Row>(pool, statement);
      }
    },
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        // One round trip, as BEGIN alone was; the timeout ends with the transaction, so it never
        // leaks to the next client the pooler hands this server connection to. An integer from
        // the validated configuration, never input.
        await client.query(`BEGIN; SET LOCAL statement_timeout = ${String(Math.trunc(options.statementTimeoutMs))}`);
        const result = await work({ query: (statement) => runOn(client, statement) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError as Error;
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async session<T>(work: (session: Session) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        return await work({
          query: (statement) => runOn(client, statement),
          exec: async (script) => {
            await client.query(script);
          },
        });
      } finally {
        client.release();
      }
    },
    // Idempotent: shutdown paths (tests, the local runtime) may close the same database twice.
    close: () => (closing ??= (unwatch(), pool.end())),
  };
  return db;
}
