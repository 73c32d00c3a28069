// Where each source query got to: the discover job loads a source's cursors before fetching and
// saves the ones that moved after storing what it fetched, so a run that stops early (its time
// budget, an upstream limit) is continued by the next. One row per (source, query); '' is the
// query of a source that has only one.
import { bulk, sql } from './sql.js';
import type { Queryable } from './types.js';

/** Cursors saved in one statement at most: 3 parameters a row stays far below Postgres's 65,535. */
export const MAX_CURSORS_PER_SAVE = 1000;

/** Every stored cursor of `source`, by query. Empty when the source has never saved one. */
export async function loadCursors(db: Queryable, source: string): Promise<Map<string, string>> {
  const rows = await db.query<{ query: string; cursor: string }>(sql`SELECT query, cursor FROM source_cursors WHERE source = ${source}`);
  return new Map(rows.map((row) => [row.query, row.cursor]));
}

/**
 * Stores `cursors` for `source` in one multi-row upsert: new queries are inserted, known ones
 * replaced (updated_at moves); queries not in the map keep their cursor. An empty map sends nothing.
 */
export async function saveCursors(db: Queryable, source: string, cursors: ReadonlyMap<string, string>): Promise<void> {
  if (cursors.size === 0) return;
  if (cursors.size > MAX_CURSORS_PER_SAVE) {
    throw new RangeError(`at most ${String(MAX_CURSORS_PER_SAVE)} cursors per save, got ${String(cursors.size)}`);
  }
  const rows = [...cursors].map(([query, cursor]) => [source, query, cursor]);
  await db.query(sql`
    INSERT INTO source_cursors (source, query, cursor) VALUES ${bulk(rows)}
    ON CONFLICT (source, query) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`);
}
