// Rewriting stored artifacts' scores whose near-duplicate group is not counted as it is now (the
// graph-build job groups signals after the harvest stored them; a re-harvest scores without the
// group): which artifacts are out of date, and one UPDATE of their score columns. What the source
// reported and what we decided about a signal stay.
import type { SignalKind } from '../model/signal.js';
import type { SourceName } from '../model/sources.js';
import { raw, sql } from './sql.js';
import type { Queryable } from './types.js';

/** An artifact as rescoring reads it. */
export interface StoredArtifact {
  id: string;
  source: SourceName;
  kind: SignalKind;
  engagement: Record<string, number>;
  publishedAt: Date;
  tags: string[];
  scoreDetails: Record<string, unknown>;
  /** Distinct sources in its duplicate group (1 alone). */
  mentionCount: number;
}

/** Where to look for stale scores: these signals, or every member of these duplicate groups. */
export type StaleScope = { ids: readonly string[] } | { groups: readonly string[] };

/**
 * The SQL condition of a stored artifact whose score counted another number of group mentions than
 * its group has now (score_details.groupMentions vs mention_count − 1; a row scored before the
 * field existed counts as out of date). The ingest's upsert returns it for every row it writes.
 */
export const STALE_GROUP_MENTIONS =
  "(signals.discovery_score IS NOT NULL AND (signals.score_details ->> 'groupMentions') IS DISTINCT FROM (signals.mention_count - 1)::text)";

/** The artifacts of `scope` whose stored score is stale (STALE_GROUP_MENTIONS). */
export async function staleArtifacts(db: Queryable, scope: StaleScope): Promise<StoredArtifact[]> {
  const ids = 'ids' in scope ? [...new Set(scope.ids)] : [];
  const groups = 'groups' in scope ? [...new Set(scope.groups)] : [];
  if (ids.length === 0 && groups.length === 0) return [];
  const within = 'ids' in scope ? sql`signals.id = ANY(${ids}::bigint[])` : sql`signals.duplicate_group = ANY(${groups}::bigint[])`;
  return db.query<StoredArtifact>(sql`
    SELECT id::text AS id, source, kind, engagement, published_at AS "publishedAt", tags,
           score_details AS "scoreDetails", mention_count AS "mentionCount"
    FROM signals
    WHERE ${within} AND ${raw(STALE_GROUP_MENTIONS)}`);
}

/** New scores for stored signals. */
export interface ScoreRewrite {
  id: string;
  discoveryScore: number | null;
  scoreDetails: Record<string, unknown>;
  rank: number;
  discoveryRank: number | null;
}

/** Writes `rewrites` in one statement; returns the rows written. */
export async function rewriteScores(db: Queryable, rewrites: readonly ScoreRewrite[]): Promise<number> {
  if (rewrites.length === 0) return 0;
  const rows = await db.query<{ n: number }>(sql`
    WITH r AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rewrites)}::jsonb)
        AS r(id text, "discoveryScore" double precision, "scoreDetails" jsonb, rank double precision, "discoveryRank" double precision)
    ), written AS (
      UPDATE signals s
      SET discovery_score = r."discoveryScore", score_details = r."scoreDetails", rank = r.rank, discovery_rank = r."discoveryRank"
      FROM r WHERE s.id = r.id::bigint
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM written`);
  return rows[0]?.n ?? 0;
}
