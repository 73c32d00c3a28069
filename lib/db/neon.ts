// Production driver: Neon's serverless Pool over WebSockets. Built for Lambda: few connections per
// container, idle ones closed after a minute (a frozen container's socket may be dead when it
// thaws), pool errors logged instead of crashing the process, a read retried once when its
// connection turns out to be terminated, and every rejection of the driver normalised into our
// error types (errors.ts): a refused or black-holed database is a 503, never a raw ErrorEvent.
import { neonConfig, Pool, type PoolClient } from '@neondatabase/serverless';
import { log } from '../log/index.js';
import { watchPool } from '../metrics/db-metrics.js';
import { rethrowDbError, thrownMessage } from './errors.js';
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
  /**
   * How long a new connection may take before the attempt fails (503): what a black-holed
   * database costs a request. Default 10,000 (a Neon compute waking from suspend takes a few s).
   */
  connectTimeoutMs?: number;
}

const TERMINATED = /Connection terminated|connection error|not queryable|ECONNRESET|socket hang up|WebSocket was closed/i;

const CONNECT_TIMEOUT = /connection timeout|timeout exceeded when trying to connect/i;

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
  const result = await client.query(statement.text, statement.values).catch(rethrowDbError);
  return result.rows as Row[];
}

/** A connection of the pool, or DatabaseUnavailableError (refused, timed out). */
function connect(pool: Pool): Promise<PoolClient> {
  return pool.connect().catch(rethrowDbError);
}

export async function createNeonDb(options: NeonOptions): Promise<Db> {
  await configureSockets(options.wsProxy);
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.max,
    idleTimeoutMillis: 60_000,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    // No `statement_timeout` here: the driver would send it as a startup parameter, which Neon's
    // pooled endpoint (PgBouncer, transaction mode) refuses ("unsupported startup parameter"). The
    // timeout is set where the pooler keeps it: SET LOCAL in each transaction (below), and the
    // role's own default for single statements (`ALTER ROLE … SET statement_timeout`, README).
  });
  // An 'error' on an idle client is emitted by the pool; unhandled, it would kill the process.
  // The driver may emit a socket's ErrorEvent here too: logged by its message, whatever it is.
  pool.on('error', (error: unknown) => log.warn('postgres pool connection error', { error: thrownMessage(error), reason: 'pool_error' }));

  const unwatch = watchPool(() => pool.totalCount);

  let closing: Promise<void> | undefined;
  const db: Db = {
    driver: 'neon',
    async query<Row>(statement: Sql): Promise<Row[]> {
      try {
        return await runOn<Row>(pool, statement);
      } catch (error) {
        const cause = thrownMessage((error as Error).cause);
        // A connect timeout reads "Connection terminated due to connection timeout": the database
        // is unreachable, and a second attempt would only double the client's wait.
        if (!TERMINATED.test(cause) || CONNECT_TIMEOUT.test(cause) || !isRead(statement)) throw error;
        log.warn('retrying a read on a fresh connection', { reason: 'connection_terminated', error });
        return runOn<Row>(pool, statement);
      }
    },
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await connect(pool);
      let broken: Error | undefined;
      try {
        // One round trip, as BEGIN alone was; the timeout ends with the transaction, so it never
        // leaks to the next client the pooler hands this server connection to. An integer from
        // the validated configuration, never input.
        await client.query(`BEGIN; SET LOCAL statement_timeout = ${String(Math.trunc(options.statementTimeoutMs))}`).catch(rethrowDbError);
        const result = await work({ query: (statement) => runOn(client, statement) });
        await client.query('COMMIT').catch(rethrowDbError);
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          // Any truthy value makes the pool discard the connection rather than reuse it.
          broken = rollbackError instanceof Error ? rollbackError : new Error(thrownMessage(rollbackError));
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async session<T>(work: (session: Session) => Promise<T>): Promise<T> {
      const client = await connect(pool);
      try {
        return await work({
          query: (statement) => runOn(client, statement),
          exec: async (script) => {
            await client.query(script).catch(rethrowDbError);
          },
        });
      } finally {
        client.release();
      }
    },
    // Idempotent: shutdown paths (tests, the local runtime) may close the same database twice.
    // A pool whose connections never opened may reject its end: nothing is left open then.
    close: () =>
      (closing ??= (unwatch(), pool.end().catch((error: unknown) => log.warn('postgres pool did not close cleanly', { error: thrownMessage(error) })))),
  };
  return db;
}
