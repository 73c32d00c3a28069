// Times and counts every statement (db_query_duration_seconds, db_queries_total) by operation and
// table, both read off the statement's text and bounded: five operations, our own tables plus
// `other`. Wraps any Db, so repositories and both drivers stay unaware of it; a regex over the text
// costs about a microsecond against a round trip of a millisecond or more. It is also the data
// boundary every repository sees: whatever a driver rejects with leaves as one of our error types
// (errors.ts), with the driver's value as its cause.
import { dbQueries, dbQueryDuration } from '../metrics/db-metrics.js';
import { toDbError } from './errors.js';
import type { Sql } from './sql.js';
import type { Db, Queryable, Session } from './types.js';

export type Operation = 'select' | 'insert' | 'update' | 'delete' | 'other';

export interface StatementLabels {
  operation: Operation;
  table: string;
}

/** Tables of infra/migrations (plus the runner's own); any other name is counted as `other`. */
const TABLES: ReadonlySet<string> = new Set([
  'signals',
  'topics',
  'signal_topics',
  'topic_events',
  'source_cursors',
  'job_runs',
  'job_leases',
  'api_keys',
  'watches',
  'delivery_outbox',
  'webhook_endpoints',
  'delivery_cursors',
  'watch_slack',
  'watch_digests',
  'watch_digest_items',
  'signal_edges',
  'schema_migrations',
]);

/** The first word, after any leading comments. */
const FIRST_WORD = /^\s*(?:(?:--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*([A-Za-z]+)/;
/** The statement a `WITH` introduces when it writes; otherwise it reads. */
const WRITE = /\b(insert|update|delete)\b/i;
/** The first table named after FROM, INTO or UPDATE (optionally `public.` and quoted). */
const TABLE = /\b(?:from|into|update)\s+(?:"?public"?\.)?"?([A-Za-z_][A-Za-z0-9_]*)/i;

/** Operation and table of a statement, e.g. `SELECT … FROM signals …` → select, signals. */
export function statementLabels(text: string): StatementLabels {
  const first = FIRST_WORD.exec(text)?.[1]?.toLowerCase();
  let operation: Operation;
  if (first === 'select' || first === 'insert' || first === 'update' || first === 'delete') operation = first;
  else if (first === 'with') operation = (WRITE.exec(text)?.[1]?.toLowerCase() as Operation | undefined) ?? 'select';
  else operation = 'other';
  const name = TABLE.exec(text)?.[1]?.toLowerCase();
  return { operation, table: name !== undefined && TABLES.has(name) ? name : 'other' };
}

function timed(target: Queryable): Queryable['query'] {
  return async function query<Row>(statement: Sql): Promise<Row[]> {
    const labels = statementLabels(statement.text);
    const started = performance.now();
    let status = 'error';
    try {
      const rows = await target.query<Row>(statement);
      status = 'ok';
      return rows;
    } catch (error) {
      throw toDbError(error);
    } finally {
      dbQueryDuration.observe(labels, (performance.now() - started) / 1000);
      dbQueries.inc({ ...labels, status });
    }
  };
}

const instrumented = new WeakSet<Db>();

/**
 * Runs a driver call that hands a connection to `work` (a transaction, a session): the work's own
 * errors pass through as they are (they may be a NotFoundError of a repository), anything the
 * driver rejects with around it (connecting, BEGIN, COMMIT) is normalised.
 */
async function around<T, C>(open: (work: (connection: C) => Promise<T>) => Promise<T>, work: (connection: C) => Promise<T>): Promise<T> {
  let fromWork: { error: unknown } | undefined;
  try {
    return await open(async (connection) => {
      try {
        return await work(connection);
      } catch (error) {
        fromWork = { error };
        throw error;
      }
    });
  } catch (error) {
    if (fromWork !== undefined && fromWork.error === error) throw error;
    throw toDbError(error);
  }
}

/**
 * `db` with every `query` measured, in transactions and sessions too (a session's `exec`, the
 * migration scripts, is not). Idempotent: an instrumented Db is returned as it is.
 */
export function instrumentDb(db: Db): Db {
  if (instrumented.has(db)) return db;
  const wrapped: Db = {
    driver: db.driver,
    query: timed(db),
    transaction: (work) => around((inner) => db.transaction(inner), (tx: Queryable) => work({ query: timed(tx) })),
    session: (work) =>
      around(
        (inner) => db.session(inner),
        (session: Session) => {
          const measured: Session = { query: timed(session), exec: (script) => session.exec(script).catch((error: unknown) => Promise.reject(toDbError(error))) };
          return work(measured);
        },
      ),
    close: () => db.close().catch((error: unknown) => Promise.reject(toDbError(error))),
  };
  instrumented.add(wrapped);
  return wrapped;
}
