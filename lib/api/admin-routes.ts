// Key administration, admin tier only. A created key is returned once and never again.
import * as z from 'zod/mini';
import type { RouteSpec } from '../http/index.js';

export const apiKeySchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  tier: z.enum(['api_key', 'premium', 'admin']),
  prefix: z.string(),
  created_at: z.string(),
  last_used_at: z.nullable(z.string()),
  revoked_at: z.nullable(z.string()),
});

export const createKeyRoute = {
  method: 'post',
  path: '/v1/admin/keys',
  operationId: 'createApiKey',
  summary: 'Create an API key; the key itself is in this response only',
  tags: ['admin'],
  tier: 'admin',
  body: z.strictObject({
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
    tier: z._default(z.enum(['api_key', 'premium', 'admin']), 'api_key'),
  }),
  responses: {
    201: {
      description: 'The new key: store `key` now, it cannot be shown again',
      schema: z.strictObject({ ...apiKeySchema.shape, key: z.string() }),
    },
  },
} satisfies RouteSpec;

export const listKeysRoute = {
  method: 'get',
  path: '/v1/admin/keys',
  operationId: 'listApiKeys',
  summary: 'All API keys, newest first (never their secrets or hashes)',
  tags: ['admin'],
  tier: 'admin',
  responses: { 200: { description: 'The keys', schema: z.strictObject({ items: z.array(apiKeySchema) }) } },
} satisfies RouteSpec;

export const revokeKeyRoute = {
  method: 'delete',
  path: '/v1/admin/keys/{id}',
  operationId: 'revokeApiKey',
  summary: 'Revoke an API key (takes effect within the key cache TTL)',
  tags: ['admin'],
  tier: 'admin',
  params: z.strictObject({ id: z.string().check(z.uuid()) }),
  responses: { 200: { description: 'The revoked key', schema: apiKeySchema }, 404: { description: 'No such key' } },
} satisfies RouteSpec;

export const adminRoutes = [createKeyRoute, listKeysRoute, revokeKeyRoute] as const;
