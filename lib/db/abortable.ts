// A Queryable that stops waiting when a signal aborts: a route passes its request's deadline
// (c.var.deadline.signal) so a slow query ends in an answer before Lambda kills the request. The
// wait is abandoned, not the statement: it runs on until it ends or DB_STATEMENT_TIMEOUT_MS stops
// it, and its connection goes back to the pool then. The rejection is the signal's reason as it
// is (the request deadline's is a 503 ServiceUnavailableError), so the data layer makes no HTTP
// error of its own. Only the routes that use it pay for it: one listener per query.
import type { Sql } from './sql.js';
import type { Queryable } from './types.js';

/**
 * `work`, or a rejection with `signal.reason` once `signal` aborts (at once if it already has),
 * whichever comes first. The work itself runs on; only the wait is given up.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** `db` whose queries reject with `signal.reason` once `signal` aborts (at once if it already has, sending nothing). */
export function abortable(db: Queryable, signal: AbortSignal): Queryable {
  return {
    async query<Row>(statement: Sql): Promise<Row[]> {
      signal.throwIfAborted();
      return await untilAborted(db.query<Row>(statement), signal);
    },
  };
}
