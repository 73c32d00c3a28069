// The public JSON shape of a signal (snake_case, like the ancestor's API) and its schema, which
// documents it in OpenAPI. Both are derived from the model's field list (lib/model/signal.ts), in
// its order: the same keys, in the same order, as the JSON Postgres builds (lib/db/signal-columns.ts).
import * as z from 'zod/mini';
import type { FieldSpec, SnakeCase } from '../model/fields.js';
import { SIGNAL_FIELD_LIST, type Signal } from '../model/signal.js';

/** A field's value in JSON: a time as an ISO 8601 string in UTC with milliseconds. */
type JsonValue<T> = T extends Date ? string : T;

export type SignalJson = { [K in keyof Signal as SnakeCase<K>]: JsonValue<Signal[K]> };

/** The schema of one field's JSON value. */
function fieldSchema(spec: FieldSpec): z.core.$ZodType {
  let schema: z.core.$ZodType;
  if (spec.values !== undefined) schema = z.enum(spec.values);
  else if (spec.type === 'id' || spec.type === 'text' || spec.type === 'timestamp') schema = z.string();
  else if (spec.type === 'text[]') schema = z.array(z.string());
  else if (spec.type === 'small-integer' || spec.type === 'number') schema = z.number();
  else if (spec.type === 'counts') schema = z.record(z.string(), z.number());
  else schema = z.record(z.string(), z.unknown());
  return spec.nullable === true ? z.nullable(schema) : schema;
}

// Built from the field list, so its type is declared rather than inferred: the keys and value types
// match SignalJson (test/unit/lib/api/signal-json.test.ts parses toSignalJson's output with it).
/** One schema per field, by JSON key, in model order (a signal's, and the start of a detailed signal's). */
export const SIGNAL_SHAPE: Readonly<Record<string, z.core.$ZodType>> = Object.fromEntries(
  SIGNAL_FIELD_LIST.map((field) => [field.snake, fieldSchema(field.spec)]),
);

export const signalSchema = z.strictObject(SIGNAL_SHAPE) as unknown as z.ZodMiniType<SignalJson>;

export function toSignalJson(signal: Signal): SignalJson {
  const json: Record<string, unknown> = {};
  for (const { name, snake, spec } of SIGNAL_FIELD_LIST) {
    const value = signal[name];
    json[snake] = spec.type === 'timestamp' ? ((value as Date | null)?.toISOString() ?? null) : value;
  }
  return json as SignalJson;
}

export const signalPageSchema = z.strictObject({
  items: z.array(signalSchema),
  next_cursor: z.nullable(z.string()),
});

/**
 * A page's body from its signals' JSON texts (lib/db `listSignalsJson`, built by Postgres in the
 * `toSignalJson` shape), without parsing them: the same document as `JSON.stringify({ items,
 * next_cursor })` of the mapped signals.
 */
export function signalPageText(items: readonly string[], nextCursor: string | null): string {
  return `{"items":[${items.join(',')}],"next_cursor":${JSON.stringify(nextCursor)}}`;
}
