// The graph job's work over signals stored without their graph, on both drivers: batches from a
// cursor, stopping when the budget says so and continuing on the next run, a rerun that adds
// nothing, and a cursor that never passes a signal still settling.
import { beforeAll, expect, it } from 'vitest';
import { upsertSignals } from '../../../../lib/db/signals-upsert.js';
import { sql } from '../../../../lib/db/sql.js';
import type { Db } from '../../../../lib/db/types.js';
import { buildGraph } from '../../../../lib/graph/build.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { testJobContext } from '../../../support/job-context.js';
import { makeSignal } from '../../../support/signal-factory.js';

const PAPERS = 12;

describeOnDrivers('the graph build ($driver)', ({ open }) => {
  let db: Db;

  beforeAll(async () => {
    db = (await open()).db;
    // Papers citing the previous one, and a repository implementing each: stored with no graph.
    const rows = Array.from({ length: PAPERS }, (_, i) => [
      makeSignal({ source: 'arxiv', sourceId: `2501.0${String(1000 + i)}`, kind: 'preprint', url: `https://arxiv.org/abs/2501.0${String(1000 + i)}`, title: `Paper ${String(i)}`, text: i === 0 ? '' : `Builds on arXiv:2501.0${String(999 + i)}.`, tags: [] }, 2 * i),
      makeSignal({ source: 'github', sourceId: `r${String(i)}`, kind: 'repository', url: `https://github.com/lab/r${String(i)}`, title: `lab/r${String(i)}`, text: `Code for arXiv:2501.0${String(1000 + i)}`, tags: [] }, 2 * i + 1),
    ]).flat();
    await upsertSignals(db, rows);
  });

  async function edgeCount(): Promise<{ total: number; pending: number }> {
    const [row] = await db.query<{ total: number; pending: number }>(sql`SELECT count(*)::int AS total, count(*) FILTER (WHERE to_signal_id IS NULL)::int AS pending FROM signal_edges`);
    return row ?? { total: -1, pending: -1 };
  }

  it('stops when the budget says so and continues from its cursor on the next run', async () => {
    // Act: the first run's budget allows two batches.
    let checks = 0;
    const first = await buildGraph(db, testJobContext({ shouldStop: () => checks++ >= 2 }), { batchSize: 5, settleMs: 0 });
    const second = await buildGraph(db, testJobContext(), { batchSize: 5, settleMs: 0 });

    // Assess
    expect(first).toMatchObject({ signals: 10, batches: 2, done: false });
    expect(second).toMatchObject({ signals: 2 * PAPERS - 10, done: true });
    expect(second.cursor > first.cursor || second.cursor.length > first.cursor.length).toBe(true);
    // 11 citations + 12 implementations, every one resolved: a citation of a later batch's paper attached.
    expect(await edgeCount()).toEqual({ total: 2 * PAPERS - 1, pending: 0 });
  });

  it('adds nothing when run again from the start', async () => {
    // Act
    const again = await buildGraph(db, testJobContext(), { batchSize: 7, restart: true, settleMs: 0 });

    // Assess
    expect(again).toMatchObject({ signals: 2 * PAPERS, edges: 0, done: true });
    expect(await edgeCount()).toEqual({ total: 2 * PAPERS - 1, pending: 0 });
  });

  it('stops before a signal written within the settle window and takes it on a later run', async () => {
    // Prepare: a paper first stored just now (as the harvest stores it: fetched_at is the insert's
    // clock), citing the first one.
    const { fetchedAt: _harvestSetsNone, ...late } = makeSignal({ source: 'arxiv', sourceId: '2501.09999', kind: 'preprint', url: 'https://arxiv.org/abs/2501.09999', title: 'Late paper on kernel fusion for sparse transformer inference', text: 'Builds on arXiv:2501.01000.', tags: [] }, 0);
    await upsertSignals(db, [late]);

    // Act: with the default window it is still settling; once settled, the next run links it.
    const early = await buildGraph(db, testJobContext());
    const settled = await buildGraph(db, testJobContext(), { settleMs: 0 });

    // Assess
    expect(early).toMatchObject({ signals: 0, edges: 0, done: true });
    expect(settled).toMatchObject({ signals: 1, edges: 1, done: true });
    expect(await edgeCount()).toEqual({ total: 2 * PAPERS, pending: 0 });
  });

  it('passes a signal first stored long ago and refreshed just now (updated_at moves, fetched_at stays)', async () => {
    // Prepare: a repository first harvested an hour after the factory epoch, refreshed by this upsert.
    await upsertSignals(db, [makeSignal({ source: 'github', sourceId: 'r-late', kind: 'repository', url: 'https://github.com/lab/r-late', title: 'lab/r-late', text: 'Code for arXiv:2501.09999', tags: [] }, 1)]);

    // Act: the default settle window
    const run = await buildGraph(db, testJobContext());

    // Assess
    expect(run).toMatchObject({ signals: 1, edges: 1, done: true });
  });
});
