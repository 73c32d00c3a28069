// Rankings that stay true over time (issue 13): a post scored when harvested keeps falling with its
// age in what the API serves, a newer post overtakes it, and keyset paging over the decay key stays
// exact while the clock moves between pages. On both drivers, through the scoring code the harvest uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDiscoveries, listSignals, upsertSignals } from '../../../../lib/db/signals-repo.js';
import type { Signal } from '../../../../lib/model/signal.js';
import type { Db } from '../../../../lib/db/types.js';
import { scoreItem, toNewSignal } from '../../../../lib/harvest/score/index.js';
import type { Classification, HarvestedItem } from '../../../../lib/harvest/types.js';
import { closeDatabases, DRIVERS, type TestDatabase } from '../../../support/databases.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-03-01T12:00:00Z');
const question: Classification = { category: 'question', sentiment: 'neutral', urgency: 1, by: 'keyword' };

function post(sourceId: string, publishedAt: number, points: number): HarvestedItem {
  return {
    source: 'hackernews', sourceId, kind: 'story', url: `https://news.example.com/${sourceId}`, title: sourceId, text: '',
    author: 'a', publishedAt: new Date(publishedAt), engagement: { points, comments: 0 }, tags: [],
  };
}

/** Harvested (scored and stored) at `harvestedAt`, as the pipeline does. */
async function harvest(db: Db, item: HarvestedItem, harvestedAt: number): Promise<void> {
  await upsertSignals(db, [toNewSignal(item, question, scoreItem(item, question, harvestedAt))]);
}

const opened: TestDatabase[] = [];

afterAll(async () => {
  await Promise.all(opened.map((database) => database.dispose()));
  await closeDatabases();
});

describe.each(DRIVERS)('read-time decay on $driver', ({ create }) => {
  let db: Db;

  beforeAll(async () => {
    const database = await create();
    opened.push(database);
    db = database.db;
  });

  it("serves a stored post's score falling with its age, and a newer post overtakes it", async () => {
    // Prepare: a popular story harvested a day ago at its peak, a smaller one harvested now
    await harvest(db, post('old-popular', T0 - DAY, 500), T0 - DAY);
    await harvest(db, post('new-modest', T0, 60), T0);
    const at = async (ms: number): Promise<Signal[]> =>
      (await listSignals(db, { source: 'hackernews', sort: 'score', order: 'desc', limit: 10, asOf: new Date(ms) })).items;

    // Act
    const yesterday = await at(T0 - DAY);
    const today = await at(T0);
    const tomorrow = await at(T0 + DAY);

    // Assess: the old story's score halves every day since harvest, and today it ranks second
    const old = (items: Signal[]): Signal | undefined => items.find((signal) => signal.sourceId === 'old-popular');
    const oldYesterday = old(yesterday)?.score ?? Number.NaN;
    expect(oldYesterday).toBeGreaterThan(60);
    expect(old(today)?.score).toBeCloseTo(oldYesterday / 2, 2);
    expect(old(tomorrow)?.score).toBeCloseTo(oldYesterday / 4, 2);
    expect(old(today)?.salience).toBe(old(today)?.score);
    expect(today.map((signal) => signal.sourceId)).toEqual(['new-modest', 'old-popular']);
    expect(tomorrow.map((signal) => signal.sourceId)).toEqual(['new-modest', 'old-popular']);
  });

  it('pages exactly on the decay key while the clock moves between pages', async () => {
    // Prepare: 30 posts harvested over 30 hours, with ties in engagement
    for (let i = 0; i < 30; i++) await harvest(db, post(`paged-${String(i)}`, T0 - i * HOUR, (i * 7) % 5), T0 - i * HOUR);
    const seen: string[] = [];
    let after: Awaited<ReturnType<typeof listSignals>>['next'];
    let clock = T0;

    // Act: each page an hour after the previous
    do {
      const page = await listSignals(db, { source: 'hackernews', sort: 'score', order: 'desc', limit: 4, after, asOf: new Date(clock) });
      seen.push(...page.items.filter((signal) => signal.sourceId.startsWith('paged-')).map((signal) => signal.sourceId));
      after = page.next;
      clock += HOUR;
    } while (after !== undefined);

    // Assess: every post once, in the order of a single read
    const single = await listSignals(db, { source: 'hackernews', sort: 'score', order: 'desc', limit: 100, asOf: new Date(T0) });
    expect(seen).toHaveLength(30);
    expect(seen).toEqual(single.items.filter((signal) => signal.sourceId.startsWith('paged-')).map((signal) => signal.sourceId));
  });

  it('decays discovery scores weekly and judges min_score as of the read', async () => {
    // Prepare: a repository harvested at T0
    const repository: HarvestedItem = {
      source: 'github', sourceId: 'decaying-repo', kind: 'repository', url: 'https://github.com/acme/decaying', title: 'acme/decaying',
      text: '', author: 'acme', publishedAt: new Date(T0 - HOUR), engagement: { stars: 40 }, tags: [],
    };
    await harvest(db, repository, T0);
    const discovery = async (ms: number, minScore?: number): Promise<number | undefined> =>
      (await listDiscoveries(db, { limit: 10, minScore, asOf: new Date(ms) })).items.find((signal) => signal.sourceId === 'decaying-repo')
        ?.discoveryScore ?? undefined;

    // Act
    const first = (await discovery(T0)) ?? Number.NaN;
    const weekLater = await discovery(T0 + 7 * DAY);

    // Assess
    expect(weekLater).toBeCloseTo(first / 2, 2);
    expect(await discovery(T0, first - 1)).toBe(first);
    expect(await discovery(T0 + 7 * DAY, first - 1)).toBeUndefined();
  });
});
