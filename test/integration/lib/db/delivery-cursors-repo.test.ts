// Which watches the delivery sweep takes on both drivers: a watch whose owning database key was
// revoked is not due; one owned by a key id the database does not hold (another key store's, or
// one that is no uuid) still is. The owner is matched by primary key, whatever its text.
import { beforeAll, expect, it } from 'vitest';
import { generateApiKey } from '../../../../lib/auth/api-key.js';
import { createApiKey, revokeApiKey } from '../../../../lib/db/api-keys-repo.js';
import { dueCursorWatches } from '../../../../lib/db/delivery-cursors-repo.js';
import { sql } from '../../../../lib/db/sql.js';
import type { Db } from '../../../../lib/db/types.js';
import { createWatch } from '../../../../lib/db/watches-repo.js';
import { generateFeedToken } from '../../../../lib/delivery/feed-token.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';

describeOnDrivers('the delivery cursors repository on $driver', ({ open }) => {
  let db: Db;
  beforeAll(async () => {
    ({ db } = await open());
  });

  async function watchWithCursor(owner: string, name: string): Promise<string> {
    const token = generateFeedToken();
    const watch = await createWatch(db, { ownerKeyId: owner, name, filter: { q: name }, feedTokenHash: token.hash, feedTokenPrefix: token.prefix }, 10);
    const id = watch?.id as string;
    await db.query(sql`INSERT INTO delivery_cursors (watch_id, channel) VALUES (${id}::bigint, 'webhook')`);
    return id;
  }

  it('skips the watches of a revoked key and keeps those of owners it does not hold', async () => {
    const revoked = await createApiKey(db, { name: 'revoked owner', tier: 'api_key', ...generateApiKey() });
    const active = await createApiKey(db, { name: 'active owner', tier: 'api_key', ...generateApiKey() });
    const ofRevoked = await watchWithCursor(revoked.id, 'of revoked');
    const ofActive = await watchWithCursor(active.id, 'of active');
    const ofUnknownKey = await watchWithCursor('0b7e2a4c-1f3d-4c5e-9a8b-7c6d5e4f3a2b', 'of an unknown key');
    const ofOtherStore = await watchWithCursor('env:admin', 'of another store');
    await revokeApiKey(db, revoked.id);

    const due = (await dueCursorWatches(db, 'webhook', 100)).map((watch) => watch.watchId);

    expect(due).not.toContain(ofRevoked);
    expect(due).toEqual(expect.arrayContaining([ofActive, ofUnknownKey, ofOtherStore]));
  });
});
