// The model (lib/model) against the migrated schema and everything derived from it, on both
// drivers: a field added to the model but not to a migration, or a column added to a migration but
// not to the model, fails here; so does a value list that differs from its CHECK constraint, and a
// read path, the SQL-built JSON or the API schema that does not carry every field in model order.
import { beforeAll, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { signalSchema, toSignalJson } from '../../../../lib/api/signal-json.js';
import { COLUMN_TYPES, WRITTEN_FIELDS } from '../../../../lib/db/signal-columns.js';
import { getSignal, listSignals, listSignalsJson } from '../../../../lib/db/signals-repo.js';
import { upsertSignals } from '../../../../lib/db/signals-upsert.js';
import { sql } from '../../../../lib/db/sql.js';
import type { Db } from '../../../../lib/db/types.js';
import { SIGNAL_FIELD_LIST, SIGNAL_FIELDS } from '../../../../lib/model/signal.js';
import { TIERS } from '../../../../lib/model/tiers.js';
import { TOPIC_EVENT_KINDS, TOPIC_KINDS, TOPIC_STATUSES } from '../../../../lib/model/topic.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { makeSignal } from '../../../support/signal-factory.js';

/**
 * Columns of the signals table that are no field of a signal: the full-text index's vector, and the
 * decay keys (lib/model/rank.ts) listings page on and serve as the decayed scores, never as themselves,
 * and the source's entity mentions, read only by the graph-build job (lib/model/signal.ts SignalEntityMentions).
 */
const INTERNAL_COLUMNS = ['search', 'rank', 'discovery_rank', 'entity_mentions'];

interface ColumnRow {
  name: string;
  type: string;
  notNull: boolean;
  /** Identity or generated: the database computes it. */
  computed: boolean;
  hasDefault: boolean;
}

async function columnsOf(db: Db, table: string): Promise<ColumnRow[]> {
  return db.query<ColumnRow>(sql`
    SELECT attname AS name, format_type(atttypid, atttypmod) AS type, attnotnull AS "notNull",
      (attidentity <> '' OR attgenerated <> '') AS computed, atthasdef AS "hasDefault"
    FROM pg_attribute
    WHERE attrelid = ${table}::regclass AND attnum > 0 AND NOT attisdropped
    ORDER BY attnum`);
}

/** The values a CHECK constraint allows a text column (`col IN ('a', 'b')`), sorted. */
async function checkedValues(db: Db, table: string, column: string): Promise<string[]> {
  const rows = await db.query<{ definition: string }>(sql`
    SELECT pg_get_constraintdef(c.oid) AS definition
    FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
    WHERE c.conrelid = ${table}::regclass AND c.contype = 'c' AND a.attname = ${column}`);
  const lists = rows.filter((row) => row.definition.includes('ANY (ARRAY['));
  expect(lists, `one value list on ${table}.${column}`).toHaveLength(1);
  return [...(lists[0]?.definition.matchAll(/'([^']*)'::text/g) ?? [])].map((match) => match[1] ?? '').sort();
}

const sorted = (values: readonly string[]): string[] => [...values].sort();

describeOnDrivers('the model against the schema on $driver', ({ open }) => {
  let db: Db;
  beforeAll(async () => { ({ db } = await open()); });

  it('has one signal field per column of the signals table, of the column type, nullable where the column is', async () => {
    const columns = (await columnsOf(db, 'signals')).filter((column) => !INTERNAL_COLUMNS.includes(column.name));

    const fromModel = SIGNAL_FIELD_LIST.map((field) => ({
      name: field.snake,
      type: COLUMN_TYPES[field.spec.type],
      notNull: field.spec.nullable !== true,
    }));
    // A generated column never says NOT NULL; score is coalesce(…, 0), never null.
    const fromTable = columns.map(({ name, type, notNull, computed }) => ({ name, type, notNull: notNull || computed }));
    expect(fromModel).toEqual(fromTable);
  });

  it('never writes a column the database computes, and leaves out only columns that have a default', async () => {
    const columns = new Map((await columnsOf(db, 'signals')).map((column) => [column.name, column]));

    for (const field of SIGNAL_FIELD_LIST) {
      const column = columns.get(field.snake);
      if (column?.computed === true) expect(field.spec.write, field.name).toBe('never');
      if (field.spec.write === 'optional') expect(column?.hasDefault, field.name).toBe(true);
    }
    expect(WRITTEN_FIELDS.map((field) => field.name)).toEqual(SIGNAL_FIELD_LIST.filter((field) => field.spec.write !== 'never').map((field) => field.name));
  });

  it('allows the same values as the CHECK constraints', async () => {
    for (const field of SIGNAL_FIELD_LIST) {
      if (field.spec.values === undefined) continue;
      expect(await checkedValues(db, 'signals', field.snake), field.name).toEqual(sorted(field.spec.values));
    }
    expect(await checkedValues(db, 'topics', 'kind')).toEqual(sorted(TOPIC_KINDS));
    expect(await checkedValues(db, 'topics', 'status')).toEqual(sorted(TOPIC_STATUSES));
    expect(await checkedValues(db, 'topic_events', 'kind')).toEqual(sorted(TOPIC_EVENT_KINDS));
    // The anonymous tier is who has no key: no stored key has it.
    expect(await checkedValues(db, 'api_keys', 'tier')).toEqual(sorted(TIERS.filter((tier) => tier !== 'anonymous')));
  });

  it('reads every field back, as a Signal and as the SQL-built JSON, with the keys in model order', async () => {
    await upsertSignals(db, [makeSignal({ source: 'fields' })]);

    const [signal] = (await listSignals(db, { source: 'fields', sort: 'score', order: 'desc', limit: 1 })).items;
    const [json] = (await listSignalsJson(db, { source: 'fields', sort: 'score', order: 'desc', limit: 1 })).items;

    expect(Object.keys(signal ?? {})).toEqual(Object.keys(SIGNAL_FIELDS));
    expect(Object.keys(await getSignal(db, signal?.id ?? '') ?? {})).toEqual(Object.keys(SIGNAL_FIELDS));
    expect(Object.keys(JSON.parse(json ?? '{}') as object)).toEqual(SIGNAL_FIELD_LIST.map((field) => field.snake));
    const schema = (signalSchema as unknown as z.core.$ZodTypes)._zod.def;
    expect(schema.type === 'object' ? Object.keys(schema.shape) : schema.type).toEqual(SIGNAL_FIELD_LIST.map((field) => field.snake));
    expect(signalSchema.parse(toSignalJson(signal ?? ({} as never)))).toEqual(JSON.parse(json ?? '{}'));
  });
});
