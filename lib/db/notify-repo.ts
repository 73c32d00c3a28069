// The notification sweep's statements: the active signals not yet notified whose own score clears
// its threshold (salience for posts, discovery score for artifacts), best first; claiming them
// before the message is sent (notified_at = the run's instant, its idempotency marker), so a send
// whose outcome is unknown is never repeated; and releasing a claim when Slack surely did not take
// the message, so the next run sends it.
import { DISCOVERY_HALF_LIFE_DAYS, FEED_HALF_LIFE_DAYS } from '../model/rank.js';
import { ARTIFACT_KINDS, type Signal } from '../model/signal.js';
import { minScoreCondition, nowDays } from './decay-sql.js';
import { isSignalId } from './ids.js';
import { signalColumns } from './signal-columns.js';
import { sql } from './sql.js';
import type { Queryable } from './types.js';

/** The bar a new signal must clear to be notified (NOTIFY_MIN_SALIENCE, NOTIFY_MIN_DISCOVERY_SCORE). */
export interface NotifyThresholds {
  /** Posts and stories: salience at or above this. */
  minSalience: number;
  /** Preprints, repositories, releases: discovery score at or above this. */
  minDiscoveryScore: number;
}

/** Largest batch one call reads. */
export const MAX_UNNOTIFIED = 1000;

/**
 * Active, never-notified signals at or above their kind's threshold, highest score first (id breaks
 * ties), at most `limit`. A post is judged by its salience and an artifact by its discovery score
 * only, so an artifact without one is never picked; both as of `asOf` (the run's clock; default
 * the database's now()). Uses the partial index on unnotified rows.
 */
export async function unnotifiedAbove(db: Queryable, thresholds: NotifyThresholds, limit: number, asOf?: Date): Promise<Signal[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_UNNOTIFIED) {
    throw new RangeError(`limit must be an integer from 1 to ${String(MAX_UNNOTIFIED)}, got ${String(limit)}`);
  }
  const artifactKinds = [...ARTIFACT_KINDS];
  // Judged by their scores now (decayed), not as first harvested: a post left unsent by a failed
  // run is not sent days later on the strength of its first hour.
  const now = nowDays(asOf);
  const discoveryAbove = minScoreCondition('discovery_rank', thresholds.minDiscoveryScore, now, DISCOVERY_HALF_LIFE_DAYS) ?? sql`true`;
  const salienceAbove = minScoreCondition('rank', thresholds.minSalience, now, FEED_HALF_LIFE_DAYS) ?? sql`true`;
  return db.query<Signal>(sql`
    SELECT ${signalColumns(now)}
    FROM signals
    WHERE notified_at IS NULL
      AND status = 'active'
      AND (
        (kind = ANY(${artifactKinds}::text[]) AND discovery_rank IS NOT NULL AND ${discoveryAbove})
        OR (kind <> ALL(${artifactKinds}::text[]) AND salience IS NOT NULL AND ${salienceAbove})
      )
    ORDER BY signals.rank DESC, signals.id ASC
    LIMIT ${limit}`);
}

/**
 * Claims the given signals for one run's message: sets notified_at = `at` on those that have none
 * yet and returns their ids. A signal another run claimed first is not returned, so two runs never
 * send one signal. Malformed ids are skipped.
 */
export async function claimForNotification(db: Queryable, ids: readonly string[], at: Date): Promise<string[]> {
  const valid = ids.filter(isSignalId);
  if (valid.length === 0) return [];
  const rows = await db.query<{ id: string }>(sql`
    UPDATE signals
    SET notified_at = ${at}::timestamptz, updated_at = now()
    WHERE id = ANY(${valid}::bigint[]) AND notified_at IS NULL
    RETURNING id::text AS id`);
  return rows.map((row) => row.id);
}

/**
 * Undoes this run's claim (notified_at = `at`) on the given signals: Slack surely did not take the
 * message, so the next run may send them. Another run's claim is left alone. Returns how many.
 */
export async function releaseNotification(db: Queryable, ids: readonly string[], at: Date): Promise<number> {
  const valid = ids.filter(isSignalId);
  if (valid.length === 0) return 0;
  const rows = await db.query<{ id: string }>(sql`
    UPDATE signals
    SET notified_at = NULL, updated_at = now()
    WHERE id = ANY(${valid}::bigint[]) AND notified_at = ${at}::timestamptz
    RETURNING id::text AS id`);
  return rows.length;
}

/**
 * Sets notified_at = `at` on the given signals that have none yet (a second call changes nothing)
 * and returns how many it marked. Malformed ids are skipped, like unknown ones.
 */
export async function markNotified(db: Queryable, ids: readonly string[], at: Date): Promise<number> {
  const valid = ids.filter(isSignalId);
  if (valid.length === 0) return 0;
  const rows = await db.query<{ id: string }>(sql`
    UPDATE signals
    SET notified_at = ${at}::timestamptz, updated_at = now()
    WHERE id = ANY(${valid}::bigint[]) AND notified_at IS NULL
    RETURNING id::text AS id`);
  return rows.length;
}
