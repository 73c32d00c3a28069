// GET /admin/keys: every API key (never its secret or hash), newest first, as `GET /v1/admin/keys`.
// POST /admin/keys: create one with the API's body schema; the key is shown on that answer only
// (no-store, no redirect that could lose it). POST /admin/keys/:id/revoke: revoke it, which also
// ends its dashboard sessions at once.
import type { Context } from 'hono';
import * as z from 'zod/mini';
import { generateApiKey } from '../../auth/api-key.js';
import type { ApiKeyRecord } from '../../auth/key-store.js';
import { createKeyRoute } from '../../api/admin-routes.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../../db/api-keys-repo.js';
import { getDb } from '../../db/client.js';
import { revokeWebSessionsOfKey } from '../../db/web-sessions-repo.js';
import { NotFoundError } from '../../errors.js';
import type { AppEnv } from '../../http/index.js';
import type { FieldError } from '../../validation/field-errors.js';
import { requireAdminPage } from '../admin-guard.js';
import { errorSummary, inputField, selectField } from '../components/form.js';
import { csrfField, formFields, parseForm } from '../components/post-form.js';
import { dateTime } from '../components/signal-row.js';
import { html, type Html } from '../html.js';
import { renderPage, type WebPage } from '../page.js';
import { parsePageQuery } from '../query.js';
import { guardPost } from '../session/middleware.js';

const TIER_OPTIONS = [['api_key', 'api_key'], ['premium', 'premium'], ['admin', 'admin']] as const;

function keyRow(c: Context<AppEnv>, key: ApiKeyRecord): Html {
  const revoke =
    key.revokedAt === null
      ? html`<form method="post" action="/admin/keys/${key.id}/revoke">${csrfField(c)}<button type="submit">Revoke<span class="sr-only"> ${key.prefix}</span></button></form>`
      : html`revoked ${dateTime(key.revokedAt)}`;
  return html`<tr><td dir="auto">${key.name}</td><td>${key.tier}</td><td><code>${key.prefix}…</code></td><td>${dateTime(key.createdAt)}</td><td>${key.lastUsedAt === null ? '—' : dateTime(key.lastUsedAt)}</td><td>${revoke}</td></tr>`;
}

function createForm(c: Context<AppEnv>, values: Record<string, string>, errors: readonly FieldError[]): Html {
  return html`<section aria-labelledby="create-h"><h2 id="create-h">Create a key</h2>${errorSummary(errors)}
<form class="filters" method="post" action="/admin/keys" aria-label="Create a key">${csrfField(c)}
${inputField({ name: 'name', label: 'Name', value: values.name ?? '', errors })}
${selectField({ name: 'tier', label: 'Tier', value: values.tier ?? 'api_key', errors, options: TIER_OPTIONS })}
<div><button type="submit">Create key</button></div>
</form></section>`;
}

async function keysBody(c: Context<AppEnv>, top: Html | string, values: Record<string, string>, errors: readonly FieldError[]): Promise<Html> {
  const keys = await listApiKeys(await getDb());
  const table =
    keys.length === 0
      ? html`<p>No keys yet.</p>`
      : html`<div class="table-wrap"><table><caption class="sr-only">API keys, newest first</caption><thead><tr><th scope="col">Name</th><th scope="col">Tier</th><th scope="col">Prefix</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">State</th></tr></thead><tbody>${keys.map((key) => keyRow(c, key))}</tbody></table></div>`;
  return html`${top}${createForm(c, values, errors)}<section aria-labelledby="keys-h"><h2 id="keys-h">Keys</h2>${table}</section>`;
}

/** The page takes no parameter (as `GET /v1/admin/keys`): any is a mistake worth saying, not ignoring. */
const NO_QUERY = /* @__PURE__ */ z.strictObject({});

async function keysPage(c: Context<AppEnv>): Promise<Response> {
  const parsed = parsePageQuery(NO_QUERY, c.req.url);
  if (!parsed.ok) return renderPage(c, { title: 'API keys', status: 400, body: await keysBody(c, errorSummary(parsed.errors), {}, []) });
  return renderPage(c, { title: 'API keys', body: await keysBody(c, '', {}, []) });
}

async function createKey(c: Context<AppEnv>): Promise<Response> {
  const fields = await formFields(c);
  const parsed = parseForm(createKeyRoute.body, fields);
  if (!parsed.ok) return renderPage(c, { title: 'API keys', status: 400, body: await keysBody(c, '', fields, parsed.errors) });
  const { key, prefix, hash } = generateApiKey();
  const record = await createApiKey(await getDb(), { name: parsed.value.name, tier: parsed.value.tier, prefix, hash });
  c.get('log').info('api key created', { key_id: record.id, key_prefix: prefix, tier: record.tier, via: 'web' });
  const shown = html`<div class="card" role="status"><h2>Key “<span dir="auto">${record.name}</span>” created</h2><p>Copy it now: it is shown only once.</p><p><code class="secret">${key}</code></p></div>`;
  return renderPage(c, { title: 'API keys', status: 201, body: await keysBody(c, shown, {}, []) });
}

async function revokeKey(c: Context<AppEnv>): Promise<Response> {
  const id = c.req.param('id') ?? '';
  const db = await getDb();
  const record = await revokeApiKey(db, id);
  if (record === undefined) throw new NotFoundError('there is no API key with this id');
  const ended = await revokeWebSessionsOfKey(db, record.id);
  c.get('log').info('api key revoked', { key_id: record.id, sessions_ended: ended, via: 'web' });
  return c.redirect('/admin/keys', 303);
}

export const adminKeysPage: WebPage = {
  name: 'admin-keys',
  mount(app) {
    app.use('/admin/keys', requireAdminPage());
    app.use('/admin/keys/*', requireAdminPage());
    app.get('/admin/keys', keysPage);
    app.post('/admin/keys', guardPost(), createKey);
    app.post('/admin/keys/:id/revoke', guardPost(), revokeKey);
  },
};
