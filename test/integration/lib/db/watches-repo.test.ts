// The watches repository on both drivers: a watch is created with its filter as sent, listed,
// read, changed and deleted only within its owner's scope (admins: every owner), the per-owner cap
// holds even under concurrent creates, and a feed token's hash finds its watch, with whether the
// owning key was revoked. Malformed ids and hashes never reach Postgres.
import { beforeAll, expect, it } from 'vitest';
import { generateApiKey } from '../../../../lib/auth/api-key.js';
import { createApiKey, revokeApiKey } from '../../../../lib/db/api-keys-repo.js';
import type { Db, Queryable } from '../../../../lib/db/types.js';
import {
  createWatch,
  deleteWatch,
  findWatchByFeedTokenHash,
  getWatch,
  listWatches,
  rotateFeedToken,
  updateWatch,
  type NewWatch,
} from '../../../../lib/db/watches-repo.js';
import { generateFeedToken } from '../../../../lib/delivery/feed-token.js';
import type { WatchFilter } from '../../../../lib/model/watch.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';

const unreachable: Queryable = { query: () => Promise.reject(new Error('no query expected')) };
const FILTER: WatchFilter = { q: 'rust & "async runtime"', min_score: 40, exclude_domains: ['medium.com'], topics: ['security'] };

function newWatch(owner: string, name: string, filter: WatchFilter = FILTER): NewWatch & { token: string } {
  const token = generateFeedToken();
  return { ownerKeyId: owner, name, filter, feedTokenHash: token.hash, feedTokenPrefix: token.prefix, token: token.token };
}

describeOnDrivers('the watches repository on $driver', ({ open }) => {
  let db: Db;
  beforeAll(async () => { ({ db } = await open()); });

  it('creates a watch and reads back the filter exactly as sent', async () => {
    // Act
    const watch = await createWatch(db, newWatch('owner-a', 'rust 🚀'), 10);

    // Assess
    expect(watch).toMatchObject({ ownerKeyId: 'owner-a', name: 'rust 🚀', filter: FILTER });
    expect(watch?.id).toMatch(/^[1-9][0-9]*$/);
    expect(watch?.feedTokenPrefix).toMatch(/^shf_.{8}$/);
    expect(await getWatch(db, { owner: 'owner-a' }, watch?.id ?? '')).toEqual(watch);
  });

  it("keeps each owner to their own watches, while the admin scope sees every owner's", async () => {
    // Prepare
    const mine = await createWatch(db, newWatch('owner-b', 'mine'), 10);
    const theirs = await createWatch(db, newWatch('owner-c', 'theirs'), 10);
    const id = theirs?.id ?? '';

    // Act + Assess
    expect((await listWatches(db, { owner: 'owner-b' })).map((watch) => watch.name)).toEqual(['mine']);
    expect(await getWatch(db, { owner: 'owner-b' }, id)).toBeUndefined();
    expect(await updateWatch(db, { owner: 'owner-b' }, id, { name: 'stolen' })).toBeUndefined();
    expect(await deleteWatch(db, { owner: 'owner-b' }, id)).toBe(false);
    expect(await rotateFeedToken(db, { owner: 'owner-b' }, id, generateFeedToken().hash, 'shf_xxxxxxxx')).toBeUndefined();
    const all = (await listWatches(db, { owner: undefined })).map((watch) => watch.id);
    expect(all).toEqual(expect.arrayContaining([mine?.id, id]));
    expect(await getWatch(db, { owner: 'owner-c' }, id)).toMatchObject({ name: 'theirs' });
  });

  it('updates the name or replaces the filter, moving updated_at forward', async () => {
    const watch = await createWatch(db, newWatch('owner-d', 'before'), 10);
    const id = watch?.id ?? '';

    const renamed = await updateWatch(db, { owner: 'owner-d' }, id, { name: 'after' });
    const refiltered = await updateWatch(db, { owner: undefined }, id, { filter: { kinds: ['preprint'] } });

    expect(renamed).toMatchObject({ name: 'after', filter: FILTER });
    expect(refiltered).toMatchObject({ name: 'after', filter: { kinds: ['preprint'] } });
    expect(refiltered?.updatedAt.getTime()).toBeGreaterThanOrEqual(watch?.updatedAt.getTime() ?? Infinity);
  });

  it('deletes a watch once', async () => {
    const watch = await createWatch(db, newWatch('owner-e', 'short-lived'), 10);
    expect(await deleteWatch(db, { owner: 'owner-e' }, watch?.id ?? '')).toBe(true);
    expect(await deleteWatch(db, { owner: 'owner-e' }, watch?.id ?? '')).toBe(false);
  });

  it('refuses a watch past the cap, and concurrent creates never overshoot it', async () => {
    // Act: eight creates at once against a cap of three.
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => createWatch(db, newWatch('owner-f', `w${String(i)}`), 3)));

    // Assess
    expect(results.filter((watch) => watch !== undefined)).toHaveLength(3);
    expect(await listWatches(db, { owner: 'owner-f' })).toHaveLength(3);
    expect(await createWatch(db, newWatch('owner-f', 'one more'), 3)).toBeUndefined();
  });

  it('finds a watch by its feed token hash until the token is rotated', async () => {
    // Prepare
    const created = newWatch('owner-g', 'by token');
    const watch = await createWatch(db, created, 10);
    const next = generateFeedToken();

    // Act
    const found = await findWatchByFeedTokenHash(db, created.feedTokenHash);
    await rotateFeedToken(db, { owner: 'owner-g' }, watch?.id ?? '', next.hash, next.prefix);

    // Assess
    expect(found).toMatchObject({ id: watch?.id, ownerRevoked: false });
    expect(await findWatchByFeedTokenHash(db, created.feedTokenHash)).toBeUndefined();
    expect(await findWatchByFeedTokenHash(db, next.hash)).toMatchObject({ id: watch?.id, feedTokenPrefix: next.prefix });
  });

  it("says when the owning key has been revoked", async () => {
    const key = await createApiKey(db, { name: 'feed owner', tier: 'api_key', ...generateApiKey() });
    const created = newWatch(key.id, 'owned by a real key');
    await createWatch(db, created, 10);

    await revokeApiKey(db, key.id);

    expect(await findWatchByFeedTokenHash(db, created.feedTokenHash)).toMatchObject({ ownerRevoked: true });
  });

  it('answers malformed ids and hashes without a query', async () => {
    for (const id of ['abc', '', '0', "1 OR 1=1"]) {
      expect(await getWatch(unreachable, { owner: undefined }, id)).toBeUndefined();
      expect(await updateWatch(unreachable, { owner: undefined }, id, { name: 'x' })).toBeUndefined();
      expect(await deleteWatch(unreachable, { owner: undefined }, id)).toBe(false);
    }
    expect(await findWatchByFeedTokenHash(unreachable, 'not-a-hash')).toBeUndefined();
  });
});
