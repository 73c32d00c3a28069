// The graph's edges on both drivers: a batch is stored once however often it is inserted (a rerun
// adds nothing), a pending edge keeps its identifier with no target, and the schema refuses an
// unknown type, a confidence outside 0–1 and an edge from a signal to itself.
import { beforeAll, expect, it } from 'vitest';
import { insertEdges } from '../../../../lib/db/signal-edges-repo.js';
import { sql } from '../../../../lib/db/sql.js';
import type { Db } from '../../../../lib/db/types.js';
import type { NewEdge } from '../../../../lib/model/relationship.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';
import { seedSignals } from '../../../support/signal-factory.js';

describeOnDrivers('signal edges on $driver', ({ open }) => {
  let db: Db;
  let ids: string[];

  beforeAll(async () => {
    db = (await open()).db;
    await seedSignals(db, 3);
    ids = (await db.query<{ id: string }>(sql`SELECT id::text AS id FROM signals ORDER BY id`)).map((row) => row.id);
  });

  it('stores a batch once however often it is inserted, duplicates within the batch included', async () => {
    const [repo, paper, post] = ids as [string, string, string];
    const edges: NewEdge[] = [
      { fromSignalId: repo, toSignalId: paper, toIdentifier: 'arxiv:2401.01234', type: 'implements', confidence: 0.9, evidence: { identifier: 'arxiv:2401.01234' } },
      { fromSignalId: post, toSignalId: paper, toIdentifier: 'arxiv:2401.01234', type: 'discusses', confidence: 0.8, evidence: { identifier: 'arxiv:2401.01234' } },
      { fromSignalId: post, toIdentifier: 'doi:10.1000/xyz', type: 'mentions', confidence: 0.5, evidence: { identifier: 'doi:10.1000/xyz' } },
    ];
    expect(await insertEdges(db, [...edges, edges[0]!])).toBe(3);
    expect(await insertEdges(db, edges)).toBe(0);
    const rows = await db.query<{ type: string; to: string | null }>(
      sql`SELECT type, to_signal_id::text AS "to" FROM signal_edges WHERE from_signal_id = ${post}::bigint ORDER BY type`,
    );
    expect(rows).toEqual([
      { type: 'discusses', to: paper },
      { type: 'mentions', to: null },
    ]);
  });

  it('refuses an unknown type, a confidence above 1 and a self edge', async () => {
    const [a, b] = ids as [string, string];
    const base = { fromSignalId: a, toSignalId: b, toIdentifier: 'signal:1', evidence: {} } as const;
    await expect(insertEdges(db, [{ ...base, type: 'likes' as never, confidence: 0.5 }])).rejects.toThrow();
    await expect(insertEdges(db, [{ ...base, type: 'same_as', confidence: 1.5 }])).rejects.toThrow();
    await expect(insertEdges(db, [{ ...base, toSignalId: a, type: 'same_as', confidence: 0.5 }])).rejects.toThrow();
  });
});
