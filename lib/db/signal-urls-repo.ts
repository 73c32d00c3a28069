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
  const rows = await db.query<{ url: string; source: string }>(sql`
    SELECT DISTINCT url, source FROM signals WHERE url = ANY(${[...new Set(urls)]}::text[])`);
  for (const { url, source } of rows) {
    const sources = owners.get(url) ?? new Set<string>();
    sources.add(source);
    owners.set(url, sources);
  }
  return owners;
}
