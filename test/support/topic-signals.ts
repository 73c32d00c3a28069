// Signals for the topics repository's tests: published a given number of days before a fixed
// window end, stored through upsertSignals, their ids returned in order.
import { upsertSignals } from '../../lib/db/signals-upsert.js';
import { sql } from '../../lib/db/sql.js';
import type { Db } from '../../lib/db/types.js';
import { makeSignal } from './signal-factory.js';

export const DAY = 86_400_000;
export const UNTIL = new Date('2026-03-01T00:00:00Z');
export const SINCE = new Date(UNTIL.getTime() - 10 * DAY);

/** Stores signals published `daysAgo` before UNTIL (fractions allowed) and returns their ids in order. */
export async function insertSignals(db: Db, prefix: string, specs: ReadonlyArray<{ daysAgo: number; title?: string; score?: number; archived?: boolean }>): Promise<string[]> {
  const rows = specs.map((spec, i) =>
    makeSignal(
      {
        source: 'topics',
        sourceId: `${prefix}-${String(i)}`,
        title: spec.title ?? `${prefix} signal ${String(i)}`,
        publishedAt: new Date(UNTIL.getTime() - spec.daysAgo * DAY),
        salience: spec.score ?? 50,
        discoveryScore: null,
        status: spec.archived === true ? 'archived' : 'active',
      },
      i,
    ),
  );
  await upsertSignals(db, rows);
  const found = await db.query<{ id: string; sourceId: string }>(sql`
    SELECT id::text AS id, source_id AS "sourceId" FROM signals WHERE source = 'topics' AND source_id LIKE ${`${prefix}-%`}`);
  const byKey = new Map(found.map((row) => [row.sourceId, row.id]));
  return rows.map((row) => byKey.get(row.sourceId) ?? '');
}
