// Handlers of key administration. Keys are generated here and stored only as hashes.
import { generateApiKey } from '../auth/api-key.js';
import type { ApiKeyRecord } from '../auth/key-store.js';
import { getDb } from '../db/client.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../db/api-keys-repo.js';
import { NotFoundError } from '../errors.js';
import { route, type App } from '../http/index.js';
import { createKeyRoute, listKeysRoute, revokeKeyRoute } from './admin-routes.js';

function toKeyJson(record: ApiKeyRecord) {
  return {
    id: record.id,
    name: record.name,
    tier: record.tier,
    prefix: record.prefix,
    created_at: record.createdAt.toISOString(),
    last_used_at: record.lastUsedAt?.toISOString() ?? null,
    revoked_at: record.revokedAt?.toISOString() ?? null,
  };
}

export function mountAdminApi(app: App): void {
  route(app, createKeyRoute, async (c, { body }) => {
    const { key, prefix, hash } = generateApiKey();
    const name = body?.name ?? '';
    const record = await createApiKey(await getDb(), { name, tier: body?.tier ?? 'api_key', prefix, hash });
    c.get('log').info('api key created', { key_id: record.id, key_prefix: prefix, tier: record.tier });
    return c.json({ ...toKeyJson(record), key }, 201);
  });

  route(app, listKeysRoute, async (c) => {
    const records = await listApiKeys(await getDb());
    return c.json({ items: records.map(toKeyJson) });
  });

  route(app, revokeKeyRoute, async (c, { params }) => {
    const record = await revokeApiKey(await getDb(), params.id);
    if (record === undefined) throw new NotFoundError(`no API key with id ${params.id}`);
    c.get('log').info('api key revoked', { key_id: record.id });
    return c.json(toKeyJson(record));
  });
}
