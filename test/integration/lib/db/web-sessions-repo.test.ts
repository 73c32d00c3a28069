// The web session repository on both drivers: a session is found while active and not once it is
// expired, revoked, or its key is revoked or gone; bootstrap sessions need no api_keys row.
import { randomBytes } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { generateApiKey } from '../../../../lib/auth/api-key.js';
import { createApiKey, revokeApiKey } from '../../../../lib/db/api-keys-repo.js';
import type { Db } from '../../../../lib/db/types.js';
import {
  createWebSession,
  deleteEndedWebSessions,
  findActiveWebSession,
  revokeWebSession,
  revokeWebSessionsOfKey,
} from '../../../../lib/db/web-sessions-repo.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';

// Relative to the real clock: the table checks expires_at > created_at, and created_at is the
// database's now() (fixed dates here once made this file fail from the day they passed).
const HOUR = 3_600_000;
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000 + HOUR);
const LATER = new Date(NOW.getTime() + 8 * HOUR);

function idHash(): string {
  return randomBytes(32).toString('hex');
}

describeOnDrivers('the web session repository on $driver', ({ open }) => {
  let db: Db;
  let keyId: string;
  beforeAll(async () => {
    ({ db } = await open());
    const { prefix, hash } = generateApiKey();
    keyId = (await createApiKey(db, { name: 'web', tier: 'premium', prefix, hash })).id;
  });

  it('finds an active session with its key and tier until it expires', async () => {
    const hash = idHash();
    await createWebSession(db, { idHash: hash, keyId, tier: 'premium', expiresAt: LATER });
    await expect(findActiveWebSession(db, hash, NOW)).resolves.toEqual({ keyId, tier: 'premium', expiresAt: LATER });
    await expect(findActiveWebSession(db, hash, LATER)).resolves.toBeUndefined();
  });

  it('forgets a revoked session, and revoking twice changes nothing', async () => {
    const hash = idHash();
    await createWebSession(db, { idHash: hash, keyId, tier: 'premium', expiresAt: LATER });
    await revokeWebSession(db, hash);
    await revokeWebSession(db, hash);
    await expect(findActiveWebSession(db, hash, NOW)).resolves.toBeUndefined();
  });

  it('ends every session of a revoked key', async () => {
    const { prefix, hash: keyHash } = generateApiKey();
    const doomed = (await createApiKey(db, { name: 'doomed', tier: 'admin', prefix, hash: keyHash })).id;
    const hashes = [idHash(), idHash()];
    for (const hash of hashes) await createWebSession(db, { idHash: hash, keyId: doomed, tier: 'admin', expiresAt: LATER });
    await expect(findActiveWebSession(db, hashes[0] as string, NOW)).resolves.toBeDefined();
    await revokeApiKey(db, doomed);
    for (const hash of hashes) await expect(findActiveWebSession(db, hash, NOW)).resolves.toBeUndefined();
  });

  it('refuses a session whose key does not exist, but keeps bootstrap sessions without a row', async () => {
    const orphan = idHash();
    await createWebSession(db, { idHash: orphan, keyId: '00000000-0000-4000-8000-000000000000', tier: 'admin', expiresAt: LATER });
    await expect(findActiveWebSession(db, orphan, NOW)).resolves.toBeUndefined();
    const bootstrap = idHash();
    await createWebSession(db, { idHash: bootstrap, keyId: 'bootstrap:0123456789abcdef', tier: 'admin', expiresAt: LATER });
    await expect(findActiveWebSession(db, bootstrap, NOW)).resolves.toMatchObject({ keyId: 'bootstrap:0123456789abcdef', tier: 'admin' });
  });

  it('revokes all sessions of a key at once and counts them', async () => {
    const hashes = [idHash(), idHash(), idHash()];
    for (const hash of hashes) await createWebSession(db, { idHash: hash, keyId: 'bootstrap:feedfacefeedface', tier: 'admin', expiresAt: LATER });
    await expect(revokeWebSessionsOfKey(db, 'bootstrap:feedfacefeedface')).resolves.toBe(3);
    await expect(revokeWebSessionsOfKey(db, 'bootstrap:feedfacefeedface')).resolves.toBe(0);
  });

  it('looks up malformed hashes without a query and rejects what the table cannot hold', async () => {
    await expect(findActiveWebSession(db, "' OR 1=1 --", NOW)).resolves.toBeUndefined();
    await expect(createWebSession(db, { idHash: 'nothex', keyId, tier: 'premium', expiresAt: LATER })).rejects.toThrow();
  });

  it("refuses a sweep batch out of range as a programming error, before any query (the janitor's sweep itself: retention.test.ts)", async () => {
    for (const limit of [0, -1, 2.5, 10_001, Number.NaN]) await expect(deleteEndedWebSessions(db, limit), String(limit)).rejects.toThrow(RangeError);
  });
});
