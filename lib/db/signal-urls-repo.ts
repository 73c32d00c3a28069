// Cross-source dedupe against what is already stored: which of a batch's links another source's
// signal already has. One statement per batch, on the url index.
import { sql } from './sql.js';
import type { Queryable } from './types.js';

/**
 * The sources whose stored signals have each of `urls` (links nobody has are absent); the caller
 * drops an item whose link another source already owns (its own link is a re-harvest: an update).
 */
export async function urlOwners(db: Queryable, urls: readonly string[]): Promise<Map<string, Set<string>>> {
  const owners = new Map<string, Set<string>>();
  if (urls.length === 0) return owners;
  // One index probe per link, whatever the planner estimates: as \`url = ANY(…)\` a table without
  // statistics yet (young, or just bulk-loaded) was read whole for every batch of the harvest.
  const rows = await db.query<{ url: string; source: string }>(sql`
    SELECT u.url, s.source
    FROM unnest(${[...new Set(urls)]}::text[]) AS u(url)
    CROSS JOIN LATERAL (SELECT DISTINCT signals.source FROM signals WHERE signals.url = u.url) s`);
  for (const { url, source } of rows) {
    const sources = owners.get(url) ?? new Set<string>();
    sources.add(source);
    owners.set(url, sources);
  }
  return owners;
}
