// One client interface over two drivers (Neon's WebSocket Pool, embedded PGlite), so repositories
// and migrations are written once and tested on both.
import type { Sql } from './sql.js';

export type Driver = 'neon' | 'pglite';

export interface Queryable {
  /** Runs one parameterised statement and returns its rows. */
  query<Row>(statement: Sql): Promise<Row[]>;
}

export interface Session extends Queryable {
  /** Runs a script of several statements without parameters (migrations only). */
  exec(script: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly driver: Driver;
  /** Runs `work` in one transaction on one connection: committed if it resolves, rolled back if not. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs `work` on one dedicated connection (advisory locks belong to a session). */
  session<T>(work: (session: Session) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
