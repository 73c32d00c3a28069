// The storing half of the harvest on real Postgres through the Neon driver, where two upserts run
// at once on the pool's two connections: batches that share keys never run together (no lock wait
// or deadlock, the later report wins), and a failing batch fails the ingest instead of vanishing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSignals } from '../../../../lib/db/signals-repo.js';
import { sql } from '../../../../lib/db/sql.js';
import { createKeywordClassifier } from '../../../../lib/harvest/classify/index.js';
import { ingestItems } from '../../../../lib/harvest/ingest.js';
import type { HarvestedItem } from '../../../../lib/harvest/types.js';
import { closeDatabases, createPostgresDatabase, type TestDatabase } from '../../../support/databases.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createPostgresDatabase();
});

afterAll(async () => {
  await database.dispose();
  await closeDatabases();
});

function item(id: number, title: string, source: HarvestedItem['source'] = 'reddit'): HarvestedItem {
  return {
    source,
    sourceId: `ingest-${String(id)}`,
    kind: 'post',
    url: `https://example.com/ingest/${source}/${String(id)}`,
    title,
    text: 'A post about a model release.',
    author: null,
    publishedAt: new Date('2026-11-30T10:00:00Z'),
    engagement: { score: id, comments: 1 },
    tags: [],
  };
}

describe('ingestItems with upserts in flight on two connections', () => {
  it('stores every item once when consecutive batches repeat keys, the later report winning', async () => {
    // Prepare: batches of 5; every key comes twice, five items apart (so in the next batch)
    function* reports(): Generator<HarvestedItem> {
      for (let round = 0; round < 8; round += 1) {
        for (let id = 0; id < 5; id += 1) yield item(round * 5 + id, `first report ${String(round * 5 + id)}`);
        for (let id = 0; id < 5; id += 1) yield item(round * 5 + id, `second report ${String(round * 5 + id)}`);
      }
    }

    // Act
    const result = await ingestItems(database.db, reports(), { classifier: createKeywordClassifier(), nowMs: Date.now(), batchSize: 5 });

    // Assess
    expect(result).toMatchObject({ items: 80, inserted: 40, updated: 40, batches: 16 });
    const stored = (await listSignals(database.db, { source: 'reddit', sort: 'published_at', order: 'desc', limit: 1000 })).items;
    expect(stored).toHaveLength(40);
    expect(stored.every((signal) => signal.title.startsWith('second report'))).toBe(true);
  });

  it('rejects when a batch fails, after the batches in flight have settled', async () => {
    // Prepare: the third batch carries a source the signals table refuses (CHECK on the name)
    const items = Array.from({ length: 15 }, (_, id) => item(100 + id, `item ${String(id)}`, id === 12 ? ('NOT A SOURCE' as HarvestedItem['source']) : 'x'));

    // Act & Assess
    await expect(ingestItems(database.db, items, { classifier: createKeywordClassifier(), nowMs: Date.now(), batchSize: 5 })).rejects.toThrow(/signals_source_check|check constraint/);
  });
});

describe('ingestItems and links another source has', () => {
  it('drops an item whose link another source stored, keeps its own re-harvest, and counts what it dropped', async () => {
    // Prepare: Hacker News stored a story linking a page; Reddit then reports the same page, and
    // Hacker News reports its own story again with a new title.
    const shared = (source: HarvestedItem['source'], sourceId: string, title: string): HarvestedItem => ({ ...item(0, title, source), sourceId, url: 'https://example.com/shared-page' });
    const ingest = (items: HarvestedItem[]): ReturnType<typeof ingestItems> => ingestItems(database.db, items, { classifier: createKeywordClassifier(), nowMs: Date.now() });
    await ingest([shared('hackernews', 'links-hn', 'The shared page')]);

    // Act
    const later = await ingest([shared('reddit', 'links-rd', 'The shared page, again'), shared('hackernews', 'links-hn', 'The shared page, retitled'), item(900, 'A page of its own')]);

    // Assess
    expect(later).toMatchObject({ items: 3, knownElsewhere: 1, inserted: 1, updated: 1 });
    const stored = await database.db.query<{ source: string; title: string }>(sql`SELECT source, title FROM signals WHERE url = 'https://example.com/shared-page'`);
    expect(stored).toEqual([{ source: 'hackernews', title: 'The shared page, retitled' }]);
  });
});
