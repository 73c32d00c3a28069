// Rewriting stored artifacts' scores when their near-duplicate group changes (the graph-build job
// groups signals after the harvest stored them): which artifacts are out of date, and one UPDATE
// of their score columns. What the source reported and what we decided about a signal stay.
import type { SignalKind } from '../model/signal.js';
import type { SourceName } from '../model/sources.js';
import { sql } from './sql.js';
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

/**
 * The artifacts (rows with a discovery score) of `groups` whose stored score counted another
 * number of group mentions than their group has now (score_details.groupMentions vs
 * mention_count − 1; a row scored before the field existed counts as out of date).
 */
export async function staleArtifactsOf(db: Queryable, groups: readonly string[]): Promise<StoredArtifact[]> {
  if (groups.length === 0) return [];
  return db.query<StoredArtifact>(sql`
    SELECT id::text AS id, source, kind, engagement, published_at AS "publishedAt", tags,
           score_details AS "scoreDetails", mention_count AS "mentionCount"
    FROM signals
    WHERE duplicate_group = ANY(${[...new Set(groups)]}::bigint[])
      AND discovery_score IS NOT NULL
      AND (score_details ->> 'groupMentions') IS DISTINCT FROM (mention_count - 1)::text`);
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

/** A stored signal's key. */
export interface StoredKey {
  source: string;
  sourceId: string;
}

/**
 * The group mentions (mention_count − 1) of those of `keys` that are stored in a duplicate group
 * with other sources, by `source\u0000sourceId`: a re-harvest keeps counting them.
 */
export async function groupMentionsOf(db: Queryable, keys: readonly StoredKey[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (keys.length === 0) return found;
  const rows = await db.query<StoredKey & { mentions: number }>(sql`
    SELECT s.source, s.source_id AS "sourceId", s.mention_count - 1 AS mentions
    FROM jsonb_to_recordset(${JSON.stringify(keys.map(({ source, sourceId }) => ({ source, sourceId })))}::jsonb)
      AS k(source text, "sourceId" text)
    JOIN signals s ON s.source = k.source AND s.source_id = k."sourceId"
    WHERE s.mention_count > 1`);
  for (const row of rows) found.set(`${row.source}\u0000${row.sourceId}`, row.mentions);
  return found;
}
