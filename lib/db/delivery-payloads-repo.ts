// What a delivery carries: each signal's public JSON as Postgres builds it for the API
// (lib/db/signal-columns.ts SIGNAL_JSON), fetched once per sweep for every claimed signal.
import { SIGNAL_JSON } from './signal-columns.js';
import { sql } from './sql.js';
import type { Queryable } from './types.js';

/** Signal id → its JSON text; a signal deleted since (its deliveries cascade away) is simply absent. */
export async function signalJsonsById(db: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: string; json: string }>(sql`SELECT ${SIGNAL_JSON} FROM signals WHERE signals.id = ANY(${[...new Set(ids)]}::bigint[])`);
  return new Map(rows.map((row) => [row.id, row.json]));
}
