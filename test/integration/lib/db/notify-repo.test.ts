// The notification sweep on both drivers: which signals unnotifiedAbove returns (new, active, over
// their kind's own threshold), in which order, how many; and markNotified, which marks each signal
// once so the next sweep skips it.
import { beforeAll, expect, it } from 'vitest';
import { markNotified, unnotifiedAbove } from '../../../../lib/db/notify-repo.js';
import type { NewSignal, Signal } from '../../../../lib/model/signal.js';
import { upsertSignals } from '../../../../lib/db/signals-upsert.js';
import { sql } from '../../../../lib/db/sql.js';
import type { Db } from '../../../../lib/db/types.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { FACTORY_SCORED_AT, makeSignal } from '../../../support/signal-factory.js';

const THRESHOLDS = { minSalience: 70, minDiscoveryScore: 80 };

/** Rows for the sweep, by source id: what each one tests is in its name. */
const ROWS: Array<Partial<NewSignal> & { sourceId: string }> = [
  { sourceId: 'post-95', kind: 'post', salience: 95, discoveryScore: null },
  { sourceId: 'story-70', kind: 'story', salience: 70, discoveryScore: null },
  { sourceId: 'story-70-b', kind: 'story', salience: 70, discoveryScore: null },
  { sourceId: 'post-69', kind: 'post', salience: 69.99, discoveryScore: null },
  { sourceId: 'post-null', kind: 'post', salience: null, discoveryScore: null },
  { sourceId: 'preprint-85', kind: 'preprint', salience: null, discoveryScore: 85 },
  { sourceId: 'repository-80', kind: 'repository', salience: 12, discoveryScore: 80 },
  { sourceId: 'release-79-salience-99', kind: 'release', salience: 99, discoveryScore: 79 },
  { sourceId: 'release-null', kind: 'release', salience: 90, discoveryScore: null },
  { sourceId: 'post-paused', kind: 'post', salience: 99, discoveryScore: null, status: 'paused' },
  { sourceId: 'post-archived', kind: 'post', salience: 99, discoveryScore: null, status: 'archived' },
];

describeOnDrivers('the notify repository on $driver', ({ open }) => {
  let db: Db;

  beforeAll(async () => {
    const database = await open();
    db = database.db;
    await upsertSignals(
      db,
      ROWS.map((row, seq) => makeSignal({ source: 'notify', status: 'active', ...row }, seq)),
    );
  });

  async function idOf(sourceId: string): Promise<string> {
    const rows = await db.query<{ id: string }>(sql`SELECT id::text AS id FROM signals WHERE source = 'notify' AND source_id = ${sourceId}`);
    const id = rows[0]?.id;
    if (id === undefined) throw new Error(`no signal ${sourceId}`);
    return id;
  }

  const sourceIds = (signals: readonly Signal[]): string[] => signals.map((signal) => signal.sourceId);

  it('returns new active signals at or above their kind’s threshold, highest score first, id breaking ties', async () => {
    // Act
    const signals = await unnotifiedAbove(db, THRESHOLDS, 100, FACTORY_SCORED_AT);

    // Assess: the two stories at 70 in id order; the release judged by its discovery score (79)
    expect(sourceIds(signals)).toEqual(['post-95', 'preprint-85', 'repository-80', 'story-70', 'story-70-b']);
    expect(signals[0]).toMatchObject({ kind: 'post', salience: 95, notifiedAt: null, status: 'active' });
  });

  it('returns at most `limit` signals and refuses a limit out of range', async () => {
    // Act
    const two = await unnotifiedAbove(db, THRESHOLDS, 2, FACTORY_SCORED_AT);

    // Assess
    expect(sourceIds(two)).toEqual(['post-95', 'preprint-85']);
    await expect(unnotifiedAbove(db, THRESHOLDS, 0)).rejects.toThrow(RangeError);
    await expect(unnotifiedAbove(db, THRESHOLDS, 1.5)).rejects.toThrow(RangeError);
  });

  it('applies each threshold to its own kind', async () => {
    // Act
    const postsOnly = await unnotifiedAbove(db, { minSalience: 0, minDiscoveryScore: 101 }, 100, FACTORY_SCORED_AT);
    const artifactsOnly = await unnotifiedAbove(db, { minSalience: 101, minDiscoveryScore: 0 }, 100, FACTORY_SCORED_AT);

    // Assess
    expect(sourceIds(postsOnly)).toEqual(['post-95', 'story-70', 'story-70-b', 'post-69']);
    expect(sourceIds(artifactsOnly)).toEqual(['preprint-85', 'repository-80', 'release-79-salience-99']);
  });

  it('marks signals notified once, and the next sweep skips them', async () => {
    // Prepare
    const at = new Date('2026-01-31T10:00:00.123Z');
    const ids = [await idOf('post-95'), await idOf('story-70')];

    // Act
    const marked = await markNotified(db, ids, at);
    const again = await markNotified(db, ids, new Date('2026-02-01T00:00:00Z'));
    const next = await unnotifiedAbove(db, THRESHOLDS, 100, FACTORY_SCORED_AT);

    // Assess
    expect(marked).toBe(2);
    expect(again).toBe(0);
    expect(sourceIds(next)).toEqual(['preprint-85', 'repository-80', 'story-70-b']);
    const rows = await db.query<{ notifiedAt: Date }>(sql`SELECT notified_at AS "notifiedAt" FROM signals WHERE id = ANY(${ids}::bigint[])`);
    expect(rows.map((row) => row.notifiedAt.toISOString())).toEqual([at.toISOString(), at.toISOString()]);
  });

  it('skips malformed and unknown ids and does nothing for an empty list', async () => {
    // Prepare
    const id = await idOf('preprint-85');

    // Act
    const none = await markNotified(db, [], new Date());
    const some = await markNotified(db, ['not-an-id', '0', '999999999', id], new Date());

    // Assess
    expect(none).toBe(0);
    expect(some).toBe(1);
  });
});
