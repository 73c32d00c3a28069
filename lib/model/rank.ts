// Read-time decay as a fixed key per row (scoring writes it, lib/db pages on it and serves the
// decayed score). A score that halves every H days from publication is base·2^(−(now − published)/H); its log2 is [log2(base) + published/H] − now/H, and the bracket —
// the rank — never changes while the item's base does not. Rows ordered by rank are ordered by
// their scores at any instant (HN's and Reddit's "hot" trick), so the database pages on a stored,
// indexed key and serves 2^(rank − now/H) (lib/db/signals-queries.ts `decayed`).
const DAY_MS = 86_400_000;

/** The feed's score (`score`, sort=score) halves every day: salience's 24 hours, for every kind. */
export const FEED_HALF_LIFE_DAYS = 1;
/** An artifact's discovery score halves every week (novelty). */
export const DISCOVERY_HALF_LIFE_DAYS = 7;
/** Scores below 2^−40 (~1e−12) are 0 in three decimals; a floor keeps log2 finite. */
export const MIN_RANKED_SCORE = 2 ** -40;

/**
 * log2(base) + min(published, scored)/H in days: `base` is the undecayed score (at age 0). A date
 * in the future counts as the scoring instant, so a skewed clock cannot lift an item above its base.
 */
export function rankKey(base: number, publishedAt: Date, scoredAtMs: number, halfLifeDays: number): number {
  const publishedDays = Math.min(publishedAt.getTime(), scoredAtMs) / DAY_MS;
  const floored = Number.isFinite(base) ? Math.max(base, MIN_RANKED_SCORE) : MIN_RANKED_SCORE;
  return Math.log2(floored) + publishedDays / halfLifeDays;
}

/** The score a rank stands for at `atMs`: 2^(rank − at/H), capped at 100, three decimals. */
export function scoreAt(rank: number, atMs: number, halfLifeDays: number): number {
  const exponent = Math.max(rank - atMs / DAY_MS / halfLifeDays, -64);
  return Math.round(Math.min(100, 2 ** exponent) * 1000) / 1000;
}
