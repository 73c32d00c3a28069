// The API key repository on both drivers: keys are created and listed without their hash, revoked
// once, found by hash (revoked or not), touched on use, and served to authentication through the
// ApiKeyLookup store. Malformed ids and hashes never reach Postgres.
import { beforeAll, expect, it } from 'vitest';
import { generateApiKey } from '../../../../lib/auth/api-key.js';
import {
  createApiKey,
  createApiKeyStore,
  findApiKeyByHash,
  listApiKeys,
  revokeApiKey,
  touchApiKey,
  type NewApiKey,
} from '../../../../lib/db/api-keys-repo.js';
import type { Db, Queryable } from '../../../../lib/db/types.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const MALFORMED_IDS = ['abc', '', '1', `${UNKNOWN_ID}x`, "' OR 1=1 --"];

/** A Queryable that fails the test if it is ever asked anything. */
const unreachable: Queryable = { query: () => Promise.reject(new Error('no query expected')) };

function newKey(name: string, tier: NewApiKey['tier'] = 'api_key'): NewApiKey & { key: string } {
  return { name, tier, ...generateApiKey() };
}

describeOnDrivers('the API key repository on $driver', ({ open }) => {
  let db: Db;
  beforeAll(async () => { ({ db } = await open()); });

  it('creates a key and returns its record without the hash', async () => {
    // Prepare
    const key = newKey('creator', 'premium');

    // Act
    const record = await createApiKey(db, key);

    // Assess
    expect(record).toEqual({
      id: expect.stringMatching(UUID) as unknown,
      name: 'creator',
      tier: 'premium',
      prefix: key.prefix,
      createdAt: expect.any(Date) as unknown,
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(record).not.toHaveProperty('hash');
  });

  it('refuses a second key with the same hash', async () => {
    const key = newKey('twin');
    await createApiKey(db, key);

    await expect(createApiKey(db, { ...key, name: 'twin again' })).rejects.toThrow();
  });

  it('lists every key newest first, and no listed key carries its hash', async () => {
    // Prepare
    const older = await createApiKey(db, newKey('older'));
    const newer = await createApiKey(db, newKey('newer', 'admin'));

    // Act
    const listed = await listApiKeys(db);

    // Assess
    const ids = listed.map((record) => record.id);
    expect(ids).toContain(older.id);
    expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
    expect(listed.find((record) => record.id === newer.id)).toEqual(newer);
    expect(listed.every((record) => !Object.hasOwn(record, 'hash'))).toBe(true);
    const times = listed.map((record) => record.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('revokes a key once: revoking again keeps the first revocation time', async () => {
    // Prepare
    const record = await createApiKey(db, newKey('revoked'));

    // Act
    const first = await revokeApiKey(db, record.id);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await revokeApiKey(db, record.id);

    // Assess
    expect(first).toEqual({ ...record, revokedAt: expect.any(Date) as unknown });
    expect(second).toEqual(first);
  });

  it('revokes nothing for an unknown id, and never queries for a malformed one', async () => {
    expect(await revokeApiKey(db, UNKNOWN_ID)).toBeUndefined();
    for (const id of MALFORMED_IDS) expect(await revokeApiKey(unreachable, id), id).toBeUndefined();
  });

  it('accepts an id in upper case, as UUIDs may be written', async () => {
    const record = await createApiKey(db, newKey('upper'));

    expect((await revokeApiKey(db, record.id.toUpperCase()))?.id).toBe(record.id);
  });

  it('finds a key by its hash, with the hash, revoked or not', async () => {
    // Prepare
    const active = newKey('found');
    const revoked = newKey('found revoked');
    const activeRecord = await createApiKey(db, active);
    const revokedRecord = await createApiKey(db, revoked);
    await revokeApiKey(db, revokedRecord.id);

    // Act
    const foundActive = await findApiKeyByHash(db, active.hash);
    const foundRevoked = await findApiKeyByHash(db, revoked.hash);

    // Assess
    expect(foundActive).toEqual({ ...activeRecord, hash: active.hash });
    expect(foundRevoked?.revokedAt).toBeInstanceOf(Date);
    expect(foundRevoked?.hash).toBe(revoked.hash);
  });

  it('finds nothing for an unknown hash, and never queries for a malformed one', async () => {
    expect(await findApiKeyByHash(db, 'f'.repeat(64))).toBeUndefined();
    for (const hash of ['', 'F'.repeat(64), 'f'.repeat(63), `${'f'.repeat(63)}g`, "' OR 1=1 --"]) {
      expect(await findApiKeyByHash(unreachable, hash), hash).toBeUndefined();
    }
  });

  it('records the time of use when a key is touched', async () => {
    // Prepare
    const key = newKey('touched');
    const record = await createApiKey(db, key);

    // Act
    await touchApiKey(db, record.id);
    const once = await findApiKeyByHash(db, key.hash);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await touchApiKey(db, record.id);
    const twice = await findApiKeyByHash(db, key.hash);

    // Assess
    expect(once?.lastUsedAt).toBeInstanceOf(Date);
    expect(twice?.lastUsedAt?.getTime()).toBeGreaterThan(once?.lastUsedAt?.getTime() ?? Infinity);
  });

  it('ignores a touch of an unknown or malformed id', async () => {
    await expect(touchApiKey(db, UNKNOWN_ID)).resolves.toBeUndefined();
    for (const id of MALFORMED_IDS) await expect(touchApiKey(unreachable, id)).resolves.toBeUndefined();
  });

  it('serves authentication through the store, opening the database only when first asked', async () => {
    // Prepare
    const key = newKey('through the store');
    const record = await createApiKey(db, key);
    let opens = 0;
    const store = createApiKeyStore(() => {
      opens++;
      return Promise.resolve(db);
    });
    expect(opens).toBe(0);

    // Act
    const found = await store.findByHash(key.hash);
    await store.touch?.(record.id);
    const touched = await store.findByHash(key.hash);

    // Assess
    expect(found).toEqual({ ...record, hash: key.hash });
    expect(touched?.lastUsedAt).toBeInstanceOf(Date);
    expect(await store.findByHash('0'.repeat(64))).toBeUndefined();
    expect(opens).toBeGreaterThan(0);
  });
});
