// Scores served as of the read (lib/model/rank.ts): the SQL of 2^(key − now/H) and of `score ≥ min`
// on a decay key, so listings page and filter on the stored, indexed key while every score they
// serve has decayed to the instant of the statement.
import { raw, sql, type Sql } from './sql.js';

export type DecayKey = 'rank' | 'discovery_rank';

/**
 * The instant scores are served as of, in days since the epoch: `asOf` (tests, reports), else the
 * database's clock, so one statement serves every row as of the same instant.
 */
export function nowDays(asOf?: Date): Sql {
  return asOf === undefined ? raw('(extract(epoch FROM now()) / 86400)') : sql`${asOf.getTime() / 86_400_000}::double precision`;
}

/**
 * The score a decay key stands for as of `now` (days): 2^(key − now/H), capped at 100, three
 * decimals (lib/model/rank.ts `scoreAt`). The exponent is floored at −64 (0.000 anyway) because
 * power() raises an underflow error far below it.
 */
export function decayed(key: DecayKey, now: Sql, halfLifeDays: number): Sql {
  return sql`round(least(100, power(2::double precision, greatest(signals.${raw(key)} - ${now} / ${raw(String(halfLifeDays))}, -64)))::numeric, 3)::double precision`;
}

/**
 * `score >= min` as of `now`, on the decay key so it uses the rank indexes: 2^(key − now/H) >= min
 * ⇔ key >= log2(min) + now/H. Undefined for min ≤ 0 (every score is ≥ 0).
 */
export function minScoreCondition(key: DecayKey, min: number, now: Sql, halfLifeDays: number): Sql | undefined {
  if (!(min > 0)) return undefined;
  return sql`signals.${raw(key)} >= ${Math.log2(min)}::double precision + ${now} / ${raw(String(halfLifeDays))}`;
}
