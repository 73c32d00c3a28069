// The watches function's app for API tests (app.request, no server) over a fresh database of the
// block's driver and the real Postgres key store: keys of each tier, and the calls every watches,
// webhook and delivery-settings test makes.
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { mountWatchesApi } from '../../lib/api/watches-api.js';
import { generateApiKey } from '../../lib/auth/api-key.js';
import { createApiKey, createApiKeyStore } from '../../lib/db/api-keys-repo.js';
import { setDb } from '../../lib/db/client.js';
import type { Db } from '../../lib/db/types.js';
import { createApp, type App } from '../../lib/http/app.js';
import type { Tier } from '../../lib/model/tiers.js';
import type { DriverDatabases } from './describe-on-drivers.js';

export type KeyTier = Exclude<Tier, 'anonymous'>;

/** A watch body the API accepts. */
export const WATCH = { name: 'Rust', filter: { q: 'rust', min_score: 10 } };

export interface WatchesApp {
  /** The block's database (set before its tests run). */
  readonly db: Db;
  /** Two keys of their own (alice, bob) and an admin's. */
  readonly keys: Record<'alice' | 'bob' | 'admin', string>;
  /** A new key of `tier`. */
  issue: (tier: KeyTier) => Promise<string>;
  call: (method: string, path: string, key: string | undefined, body?: unknown) => Promise<Response>;
  /** The response's JSON, once its status is `status` (the body is the failure message otherwise). */
  json: <T>(response: Response, status: number) => Promise<T>;
  /** A watch of `key`, created through the API (WATCH unless `body`); its id. */
  newWatch: (key: string | undefined, body?: unknown) => Promise<string>;
}

/**
 * Opens the database and mounts the app before the block's tests, with alice's key of `aliceTier`
 * (premium for a file that creates more watches than api_key's cap), bob's of api_key.
 */
export function useWatchesApp(open: DriverDatabases['open'], aliceTier: KeyTier = 'premium'): WatchesApp {
  let app: App | undefined;
  let db: Db | undefined;
  const keys = { alice: '', bob: '', admin: '' };

  const fixture: WatchesApp = {
    get db() {
      if (db === undefined) throw new Error('the watches app is opened in beforeAll');
      return db;
    },
    keys,
    issue: async (tier) => {
      const generated = generateApiKey();
      await createApiKey(fixture.db, { name: `${tier} key`, tier, prefix: generated.prefix, hash: generated.hash });
      return generated.key;
    },
    call: (method, path, key, body) => {
      const headers: Record<string, string> = key === undefined ? {} : { 'x-api-key': key };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (app === undefined) throw new Error('the watches app is opened in beforeAll');
      return Promise.resolve(app.request(`https://api.example.test${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
    },
    json: async <T>(response: Response, status: number): Promise<T> => {
      expect(response.status, await response.clone().text()).toBe(status);
      return (await response.json()) as T;
    },
    newWatch: async (key, body = WATCH) => {
      return (await fixture.json<{ id: string }>(await fixture.call('POST', '/v1/watches', key, body), 201)).id;
    },
  };

  beforeAll(async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const opened = (await open()).db;
    db = opened;
    setDb(opened);
    keys.alice = await fixture.issue(aliceTier);
    keys.bob = await fixture.issue('api_key');
    keys.admin = await fixture.issue('admin');
    app = createApp({ name: 'watches', keys: () => createApiKeyStore(() => Promise.resolve(opened)) });
    mountWatchesApi(app);
  });

  // No resetDb(): it would close the database, which describeOnDrivers closes after the block.
  afterAll(() => {
    vi.restoreAllMocks();
  });

  return fixture;
}
