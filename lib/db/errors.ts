// Every rejection that crosses the data boundary becomes one of our two error types, with the
// driver's value as `cause`: the database could not be reached (503, the client may retry), or it
// refused the statement (500, our bug). Needed because the Neon driver rejects with whatever its
// socket emitted — an `ErrorEvent`, not an Error, when the connection is refused — which Hono's
// error handler does not recognise (it handles `instanceof Error` only) and logs print as
// "[object Object]".
import { AppError, ServiceUnavailableError, type AppErrorOptions } from '../errors.js';

/** The database could not be reached, or dropped the connection: a dependency down, 503. */
export class DatabaseUnavailableError extends ServiceUnavailableError {
  constructor(message = 'database unavailable', options?: AppErrorOptions) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** The database answered with an error for the statement (SQLSTATE in `sqlState`): 500. */
export class DatabaseError extends AppError {
  /** Postgres's five-character SQLSTATE, e.g. `22021`; undefined when the driver gave none. */
  readonly sqlState: string | undefined;

  constructor(message: string, sqlState: string | undefined, options?: AppErrorOptions) {
    super(500, 'database_error', message, options);
    this.name = 'DatabaseError';
    this.sqlState = sqlState;
  }
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * SQLSTATEs that mean "no database to talk to" rather than "bad statement": class 08 (connection
 * exception), 53 (insufficient resources: too many connections), 57P01–57P05 (server shutting down,
 * cannot connect now, idle session timeout).
 */
function meansUnavailable(sqlState: string): boolean {
  return sqlState.startsWith('08') || sqlState.startsWith('53') || /^57P0[1-5]$/.test(sqlState);
}

/** The text a thrown value carries: an Error's message, an ErrorEvent's, a string, else its type. */
export function thrownMessage(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  if (typeof thrown === 'object' && thrown !== null) {
    const { message, error } = thrown as { message?: unknown; error?: unknown };
    if (typeof message === 'string' && message !== '') return message;
    if (error instanceof Error) return error.message;
    const type = (thrown as { type?: unknown }).type;
    return `${thrown.constructor.name}${typeof type === 'string' ? ` (${type})` : ''}`;
  }
  return typeof thrown;
}

/**
 * `thrown` as one of our errors. An AppError (ours, e.g. from a transaction's work, or already
 * normalised) is returned as it is. A Postgres error with a SQLSTATE is a DatabaseError unless the
 * state says the server is unreachable; a TypeError or RangeError is a bug of ours (500); anything
 * else the driver rejects with — a socket ErrorEvent, a refused or reset connection, the pool's
 * connect timeout against a black-holed host — is DatabaseUnavailableError (503).
 */
export function toDbError(thrown: unknown): AppError {
  if (thrown instanceof AppError) return thrown;
  const message = thrownMessage(thrown);
  const code = typeof thrown === 'object' && thrown !== null ? (thrown as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && SQLSTATE.test(code)) {
    if (meansUnavailable(code)) return new DatabaseUnavailableError(`database unavailable: ${message}`, { cause: thrown });
    return new DatabaseError(`database error ${code}: ${message}`, code, { cause: thrown });
  }
  if (thrown instanceof TypeError || thrown instanceof RangeError) return new DatabaseError(`database call failed: ${message}`, undefined, { cause: thrown });
  return new DatabaseUnavailableError(`database unavailable: ${message}`, { cause: thrown });
}

/** For `.catch(rethrowDbError)` at each driver call. */
export function rethrowDbError(thrown: unknown): never {
  throw toDbError(thrown);
}
