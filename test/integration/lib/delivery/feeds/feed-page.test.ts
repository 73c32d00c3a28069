// A watch's feed page on both drivers: the filter of GET /v1/signals plus kinds, topics (with
// sub-topics) and the mute filters, newest harvested first, active signals unless the watch says
// otherwise — through the signals query builder itself.
import { beforeAll, expect, it } from 'vitest';
import { sql } from '../../../../../lib/db/sql.js';
import { upsertSignals } from '../../../../../lib/db/signals-upsert.js';
import type { Db } from '../../../../../lib/db/types.js';
import { feedSignals } from '../../../../../lib/delivery/feeds/feed-page.js';
import type { Watch, WatchFilter } from '../../../../../lib/model/watch.js';
import { describeOnDrivers } from '../../../../support/describe-on-drivers.js';
import { makeSignal } from '../../../../support/signal-factory.js';

const BASE = new Date('2026-02-01T00:00:00Z');

/** Title, URL, source, kind, status; fetched one minute apart in this order (the last is newest). */
const CORPUS = [
  { sourceId: 'a', title: 'Rust async runtime benchmarks', url: 'https://blog.example.com/rust', source: 'hackernews', kind: 'story' },
  { sourceId: 'b', title: 'Rust crypto advisory', url: 'https://medium.com/@x/rust', source: 'reddit', kind: 'post' },
  { sourceId: 'c', title: 'Rust compiler paper', url: 'https://arxiv.org/abs/1', source: 'arxiv', kind: 'preprint' },
  { sourceId: 'd', title: 'Rust sponsored webinar', url: 'https://news.medium.com/rust', source: 'hackernews', kind: 'story' },
  { sourceId: 'e', title: 'Rust on notmedium', url: 'https://notmedium.com/rust', source: 'hackernews', kind: 'story' },
  { sourceId: 'f', title: 'Rust archived item', url: 'https://example.org/old', source: 'hackernews', kind: 'story', status: 'archived' },
] as const;

function watchOf(filter: WatchFilter): Watch {
  return { id: '1', ownerKeyId: 'k', name: 'w', filter, feedTokenPrefix: 'shf_', createdAt: BASE, updatedAt: BASE };
}

describeOnDrivers('a watch feed page on $driver', ({ open }) => {
  let db: Db;
  const titles = async (filter: WatchFilter): Promise<string[]> => (await feedSignals(db, watchOf(filter))).map((signal) => signal.title);

  beforeAll(async () => {
    ({ db } = await open());
    await upsertSignals(
      db,
      CORPUS.map((item, i) =>
        makeSignal({ ...item, text: '', tags: [], salience: 50, discoveryScore: null, status: 'status' in item ? item.status : 'active', fetchedAt: new Date(BASE.getTime() + i * 60_000) }, i),
      ),
    );
    // Topic 'security' with sub-topic 'security/advisories' holding the advisory; 'securityx' holds the paper.
    await db.query(sql`INSERT INTO topics (path, name, kind) VALUES ('security', 'Security', 'taxonomy'), ('security/advisories', 'Advisories', 'taxonomy'), ('securityx', 'Not security', 'taxonomy')`);
    await db.query(sql`
      INSERT INTO signal_topics (signal_id, topic_id)
      SELECT signals.id, topics.id FROM signals JOIN topics ON (signals.source_id, topics.path) IN (('b', 'security/advisories'), ('c', 'securityx'))`);
  });

  it('lists matching active signals, newest harvested first', async () => {
    expect(await titles({ q: 'rust' })).toEqual([
      'Rust on notmedium',
      'Rust sponsored webinar',
      'Rust compiler paper',
      'Rust crypto advisory',
      'Rust async runtime benchmarks',
    ]);
  });

  it('shows another status only when the watch asks for it', async () => {
    expect(await titles({ q: 'rust', status: 'archived' })).toEqual(['Rust archived item']);
  });

  it('mutes terms (as words or phrases), sources and domains with their sub-domains but not look-alikes', async () => {
    expect(await titles({ q: 'rust', exclude_terms: ['sponsored', 'async runtime'] })).not.toEqual(expect.arrayContaining(['Rust sponsored webinar']));
    expect(await titles({ q: 'rust', exclude_terms: ['runtime async'] })).toContain('Rust async runtime benchmarks');
    expect(await titles({ q: 'rust', exclude_terms: ['async runtime'] })).not.toContain('Rust async runtime benchmarks');
    expect(await titles({ q: 'rust', exclude_sources: ['hackernews', 'arxiv'] })).toEqual(['Rust crypto advisory']);
    expect(await titles({ q: 'rust', exclude_domains: ['medium.com'] })).toEqual(['Rust on notmedium', 'Rust compiler paper', 'Rust async runtime benchmarks']);
  });

  it('selects any of several kinds, and topics with their sub-topics but not a prefix that is not a parent', async () => {
    expect(await titles({ kinds: ['preprint', 'post'] })).toEqual(['Rust compiler paper', 'Rust crypto advisory']);
    expect(await titles({ topics: ['security'] })).toEqual(['Rust crypto advisory']);
    expect(await titles({ topics: ['security', 'securityx'] })).toEqual(['Rust compiler paper', 'Rust crypto advisory']);
  });

  it('keeps to the limit', async () => {
    expect(await feedSignals(db, watchOf({ q: 'rust' }), 2)).toHaveLength(2);
  });
});
