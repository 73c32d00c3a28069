// A Queryable that stops waiting when a signal aborts: a route passes its request's deadline
// (c.var.deadline.signal) so a slow query ends in an answer before Lambda kills the request. The
// wait is abandoned, not the statement: it runs on until it ends or DB_STATEMENT_TIMEOUT_MS stops
// it, and its connection goes back to the pool then. The rejection is the signal's reason as it
// is (the request deadline's is a 503 ServiceUnavailableError), so the data layer makes no HTTP
// error of its own. Only the routes that use it pay for it: one listener per query.
import type { Sql } from './sql.js';
import type { Queryable } from './types.js';

/** `db` whose queries reject with `signal.reason` once `signal` aborts (at once if it already has, sending nothing). */
export function abortable(db: Queryable, signal: AbortSignal): Queryable {
  return {
    async query<Row>(statement: Sql): Promise<Row[]> {
      signal.throwIfAborted();
      let onAbort: (() => void) | undefined;
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => {
          reject(signal.reason as Error);
        };
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        return await Promise.race([db.query<Row>(statement), aborted]);
      } finally {
        if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
      }
    },
  };
}
