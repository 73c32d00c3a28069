// The signals table as the model's field list (lib/model/signal.ts SIGNAL_FIELDS) makes it: each
// field's column and Postgres type, how a row is read, built into the API's JSON, and written. The
// fragments are assembled once, at module load, from constants of our code (never from input), so
// a statement costs nothing more than when they were written out by hand.
import type { Field, FieldType } from '../model/fields.js';
import { DISCOVERY_HALF_LIFE_DAYS, FEED_HALF_LIFE_DAYS } from '../model/rank.js';
import { SIGNAL_FIELD_LIST, type Signal, type SIGNAL_FIELDS } from '../model/signal.js';
import { decayed, nowDays } from './decay-sql.js';
import { join, raw, sql, type Sql } from './sql.js';

type SignalField = Field<typeof SIGNAL_FIELDS>;

/** The column type of each kind of value, as Postgres's format_type() names it. */
export const COLUMN_TYPES: Readonly<Record<FieldType, string>> = {
  id: 'bigint',
  text: 'text',
  'text[]': 'text[]',
  timestamp: 'timestamp with time zone',
  'small-integer': 'smallint',
  number: 'double precision',
  counts: 'jsonb',
  object: 'jsonb',
};

/**
 * How a field is selected: under the name `Signal` uses, so rows need no renaming. int8 is sent as
 * text (the Neon driver returns it as a string, PGlite as a number); the rest has one JS type on both.
 */
function selected(field: SignalField): string {
  const value = field.spec.type === 'id' ? `${field.snake}::text` : field.snake;
  return value === field.name ? value : `${value} AS "${field.name}"`;
}

/**
 * The scores are served as of the read, decayed from the row's decay keys (lib/model/rank.ts,
 * migration 0006), not as stored at harvest: `score` is the feed's (one day's half-life), a post's
 * `salience` is that same score, an artifact's `discoveryScore` halves weekly.
 */
function servedScores(now: Sql): Partial<Record<keyof Signal, Sql>> {
  const score = decayed('rank', now, FEED_HALF_LIFE_DAYS);
  return {
    salience: sql`CASE WHEN signals.salience IS NULL THEN NULL ELSE ${score} END`,
    discoveryScore: sql`CASE WHEN signals.discovery_rank IS NULL THEN NULL ELSE ${decayed('discovery_rank', now, DISCOVERY_HALF_LIFE_DAYS)} END`,
    score,
  };
}

/** Every column of a signal under the name `Signal` uses, the scores as of `now` (days, decay-sql.ts). */
export function signalColumns(now: Sql): Sql {
  const served = servedScores(now);
  return join(
    SIGNAL_FIELD_LIST.map((field) => {
      const value = served[field.name];
      return value === undefined ? raw(selected(field)) : sql`${value} AS "${raw(field.name)}"`;
    }),
    ', ',
  );
}

/** Every column of a signal under the name `Signal` uses, the scores as of the database's now(). */
export const SIGNAL_COLUMNS: Sql = signalColumns(nowDays());

/** A timestamp as JavaScript's `toISOString()` writes it: UTC, milliseconds, `Z`. */
function isoMillis(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** A field's value as the API's JSON carries it (lib/api/signal-json.ts `toSignalJson`). */
function jsonValue(field: SignalField): string {
  const column = `signals.${field.snake}`;
  if (field.spec.type === 'id') return `${column}::text`;
  if (field.spec.type === 'timestamp') return isoMillis(column);
  return column;
}

/**
 * A signal's public JSON (lib/api/signal-json.ts `signalSchema`, the same keys in the same order),
 * the scores as of `now`, as text, built by Postgres: the list endpoints pass it through without parsing 22 typed columns
 * into a Signal, mapping that to snake_case and serialising it again (~0.2 ms of CPU and most of
 * the garbage of a 50-row page, for a statement that costs Postgres no more). A test checks it
 * against `toSignalJson` on both drivers.
 */
export function signalJson(now: Sql): Sql {
  const served = servedScores(now);
  const values = SIGNAL_FIELD_LIST.map((field) => sql`${raw(`'${field.snake}'`)}, ${served[field.name] ?? raw(jsonValue(field))}`);
  return sql`json_build_object(${join(values, ', ')})::text AS json, signals.id::text AS id`;
}

/** signalJson as of the database's now(). */
export const SIGNAL_JSON: Sql = signalJson(nowDays());

const SIGNAL_KEYS: ReadonlyArray<keyof Signal> = SIGNAL_FIELD_LIST.map((field) => field.name);

/**
 * Copies a driver row into a Signal, its fields only (a page row also carries its cursor value).
 * The copy is built in one key order, so every Signal shares one hidden class however the driver
 * built its row.
 */
export function toSignal(row: Signal): Signal {
  const signal: Partial<Record<keyof Signal, unknown>> = {};
  for (const key of SIGNAL_KEYS) signal[key] = row[key];
  return signal as Signal;
}

/** The fields an insert writes (the others are the database's), in column order. */
export const WRITTEN_FIELDS: readonly SignalField[] = SIGNAL_FIELD_LIST.filter((field) => field.spec.write !== 'never');
