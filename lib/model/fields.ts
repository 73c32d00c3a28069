// The machinery of a field list: an entity declares its fields once, as data (name, kind of value,
// who writes it), and its TypeScript types, SQL column lists, row mappers and API schema are all
// derived from that one declaration (lib/db, lib/api). Nothing here knows Postgres or zod.

/** The kinds of value a field holds; lib/db and lib/api map each to a column type and a JSON schema. */
export interface FieldValues {
  /** int8, carried as a decimal string: JSON and JS numbers lose precision past 2^53. */
  id: string;
  text: string;
  'text[]': string[];
  timestamp: Date;
  /** A small whole number (smallint). */
  'small-integer': number;
  /** A double. */
  number: number;
  /** A JSON object of counts (a source's engagement numbers). */
  counts: Record<string, number>;
  /** A JSON object of anything. */
  object: Record<string, unknown>;
}

export type FieldType = keyof FieldValues;

/**
 * Who writes a field on insert: `always` (the writer must give it), `optional` (the database
 * fills in a default when it is absent), `never` (the database sets it: identity, generated
 * columns, later edits).
 */
export type FieldWrite = 'always' | 'optional' | 'never';

/**
 * What writing a known row again (a re-harvest) does to a field: `replace` with the new value,
 * `fill` (the new value, or the stored one when the new one is null), `keep` the stored one, or
 * set it to `now`.
 */
export type FieldRewrite = 'replace' | 'fill' | 'keep' | 'now';

export interface FieldSpec {
  readonly type: FieldType;
  /** The allowed values of a text field (the same list as the column's CHECK constraint). */
  readonly values?: readonly string[];
  readonly nullable?: boolean;
  readonly write: FieldWrite;
  readonly rewrite: FieldRewrite;
}

export type FieldSpecs = Readonly<Record<string, FieldSpec>>;

/** The TypeScript type of one field's value. */
export type ValueOf<S extends FieldSpec> =
  | (S extends { values: readonly (infer V)[] } ? V : FieldValues[S['type']])
  | (S extends { nullable: true } ? null : never);

/** An entity as TypeScript sees it: one property per field (their doc comments carry over). */
export type EntityOf<F extends FieldSpecs> = { -readonly [K in keyof F]: ValueOf<F[K]> };

type KeysWritten<F extends FieldSpecs, W extends FieldWrite> = { [K in keyof F]: F[K]['write'] extends W ? K : never }[keyof F];

/** What a writer gives for a new entity: the `always` fields, and the `optional` ones if it likes. */
export type NewEntityOf<F extends FieldSpecs> = { -readonly [K in KeysWritten<F, 'always'>]: ValueOf<F[K]> } & {
  -readonly [K in KeysWritten<F, 'optional'>]?: ValueOf<F[K]>;
};

/** `discoveryScore` → `discovery_score`: the name of a field outside TypeScript (column, JSON key). */
export type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

export function snakeCase<S extends string>(name: S): SnakeCase<S> {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`) as SnakeCase<S>;
}

/** One field of a list, in declaration order, with its outside name. */
export interface Field<F extends FieldSpecs> {
  readonly name: keyof F & string;
  /** Column name and JSON key. */
  readonly snake: string;
  readonly spec: FieldSpec;
}

/** The fields of `specs` in declaration order (the order of columns in queries and keys in JSON). */
export function fieldList<F extends FieldSpecs>(specs: F): ReadonlyArray<Field<F>> {
  return Object.entries(specs).map(([name, spec]) => ({ name, snake: snakeCase(name), spec }));
}
