// The sign-in and admin pages through the web function's own app (mountWeb, the session cookie as
// its identify step) over a real database: the tier decides what is shown, an anonymous visitor of
// an admin page is sent to sign in, bad form or query input is a 400 page with the error, and what
// a key's name holds is escaped.
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../../../lib/auth/api-key.js';
import { resetConfig } from '../../../../lib/config.js';
import { createApiKey, createApiKeyStore } from '../../../../lib/db/api-keys-repo.js';
import { getDb, resetDb, setDb } from '../../../../lib/db/client.js';
import { raw, sql } from '../../../../lib/db/sql.js';
import { createApp, type App } from '../../../../lib/http/app.js';
import { webSession } from '../../../../lib/web/session/middleware.js';
import { mountWebAdmin } from '../../../../lib/web/admin-app.js';
import { SIGNAL_PAGES } from '../../../../lib/web/pages/index.js';
import { mountWeb } from '../../../../lib/web/web-app.js';
import { createPgliteDatabase, type TestDatabase } from '../../../support/databases.js';

const ORIGIN = 'https://dashboard.example.test';
const BOOTSTRAP = `bootstrap-${randomBytes(24).toString('hex')}`;

/** A browser as far as these pages need: its cookies, and the form token of the last page. */
class Visitor {
  readonly cookies = new Map<string, string>();
  csrf = '';
  constructor(private readonly app: () => Hono) {}
  async send(path: string, form?: Record<string, string>, extra: Record<string, string> = {}): Promise<{ status: number; body: string; location: string | null }> {
    const headers = new Headers({ host: 'dashboard.example.test' });
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    let body: string | undefined;
    if (form !== undefined) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      headers.set('sec-fetch-site', 'same-origin');
      body = new URLSearchParams({ _csrf: this.csrf, ...form }).toString();
    }
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
    const response = await this.app().request(`${ORIGIN}${path}`, { method: form === undefined ? 'GET' : 'POST', headers, body });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      if (/Max-Age=0/.test(line)) this.cookies.delete(pair.slice(0, at));
      else this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const text = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text);
    if (token?.[1] !== undefined) this.csrf = token[1];
    return { status: response.status, body: text, location: response.headers.get('location') };
  }
  async signIn(key: string): Promise<void> {
    await this.send('/sign-in');
    const result = await this.send('/sign-in', { key });
    expect(result.status, result.body).toBe(303);
  }
}

describe('the sign-in and admin pages', () => {
  let database: TestDatabase;
  let app: Hono;
  let adminApp: App;
  const saved = { ...process.env };
  const visitor = (): Visitor => new Visitor(() => app);

  beforeAll(async () => {
    process.env.ADMIN_API_KEY = BOOTSTRAP;
    resetConfig();
    database = await createPgliteDatabase();
    setDb(database.db);
    // The web and web-admin functions' apps, one in front of the other as API Gateway routes them.
    const admin = createApp({ name: 'web-admin', keys: () => createApiKeyStore(getDb), identify: webSession() });
    mountWebAdmin(admin);
    adminApp = admin;
    const web = createApp({ name: 'web', keys: () => createApiKeyStore(getDb), identify: webSession() });
    mountWeb(SIGNAL_PAGES)(web);
    app = new Hono();
    app.all('/admin/*', (c) => admin.fetch(c.req.raw));
    app.all('/sign-*', (c) => admin.fetch(c.req.raw));
    app.all('*', (c) => web.fetch(c.req.raw));
  });

  afterAll(async () => {
    await resetDb();
    process.env = saved;
    resetConfig();
  });

  it('sends an anonymous visitor of an admin page to sign in, and back after it', async () => {
    const anonymous = visitor();
    const first = await anonymous.send('/admin/jobs');
    expect(first.status).toBe(303);
    expect(first.location).toBe('/sign-in?next=%2Fadmin%2Fjobs');
    const form = await anonymous.send('/sign-in?next=%2Fadmin%2Fjobs');
    expect(form.body).toContain('name="next" value="/admin/jobs"');
    const signedIn = await anonymous.send('/sign-in', { key: BOOTSTRAP, next: '/admin/jobs' });
    expect(signedIn.location).toBe('/admin/jobs');
    expect((await anonymous.send('/admin/jobs')).status).toBe(200);
  });

  it('never redirects to another site after sign-in: a malformed next is an error on the form, or dropped from a link', async () => {
    const hostile = ['//evil.example/', 'https://evil.example/admin', '/\\evil.example', 'javascript:alert(1)', '/..//evil.example', '/\t/evil.example'];
    for (const next of hostile) {
      const person = visitor();
      // A link carrying it: the form is shown without it (after sign-in: the default page).
      const form = await person.send(`/sign-in?next=${encodeURIComponent(next)}`);
      expect(form.status, next).toBe(200);
      expect(form.body, next).not.toContain('name="next"');
      // A form posting it: 400, the error naming the field, no redirect, no session.
      const result = await person.send('/sign-in', { key: BOOTSTRAP, next });
      expect(result.status, next).toBe(400);
      expect(result.location, next).toBeNull();
      expect(result.body.match(/<div class="errors"[\s\S]*?<\/div>/)?.[0], next).toContain('>next</a>');
      expect(person.cookies.has('__Host-shd_session'), next).toBe(false);
    }
    const fallback = visitor();
    await fallback.send('/sign-in?next=%2F%2Fevil.example');
    expect((await fallback.send('/sign-in', { key: BOOTSTRAP })).location).toBe('/admin/jobs');
    // A path on this site comes back percent-encoded: nothing in Location a browser reads as a host.
    const local = visitor();
    await local.send('/sign-in');
    expect((await local.send('/sign-in', { key: BOOTSTRAP, next: '/signals?q=日本<b>' })).location).toBe('/signals?q=%E6%97%A5%E6%9C%AC%3Cb%3E');
  });

  it('refuses every POST of the dashboard without its CSRF token or from another site, and changes nothing', async () => {
    // Prepare: every POST route the admin function serves, an admin signed in, a key to revoke
    const generated = generateApiKey();
    const { id: keyId } = await createApiKey(database.db, { name: 'target', tier: 'api_key', prefix: generated.prefix, hash: generated.hash });
    const routes = [...new Set(adminApp.routes.filter((route) => route.method === 'POST').map((route) => route.path))];
    expect(routes.sort()).toEqual(['/admin/jobs', '/admin/keys', '/admin/keys/:id/revoke', '/sign-in', '/sign-out']);
    const admin = visitor();
    await admin.signIn(BOOTSTRAP);
    await admin.send('/admin/jobs');
    const other = visitor();
    await other.signIn(BOOTSTRAP);
    await other.send('/admin/jobs');
    const forms: Record<string, Record<string, string>> = { '/admin/jobs': { job: 'janitor' }, '/admin/keys': { name: 'forged', tier: 'admin' }, '/sign-in': { key: BOOTSTRAP } };
    const countOf = async (table: 'job_runs' | 'api_keys'): Promise<number> =>
      (await database.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${raw(table)}`))[0]?.n ?? 0;
    const [runsBefore, keysBefore] = [await countOf('job_runs'), await countOf('api_keys')];
    const attempts: Array<{ name: string; csrf?: string; headers?: Record<string, string> }> = [
      { name: 'no token', csrf: '' },
      { name: "another session's token", csrf: other.csrf },
      { name: 'Sec-Fetch-Site: cross-site', headers: { 'sec-fetch-site': 'cross-site' } },
      { name: 'Sec-Fetch-Site: same-site', headers: { 'sec-fetch-site': 'same-site' } },
      { name: 'a foreign Origin', headers: { 'sec-fetch-site': '', origin: 'https://evil.example' } },
      { name: 'Origin: null', headers: { 'sec-fetch-site': '', origin: 'null' } },
    ];

    // Act + Assess
    for (const route of routes) {
      const path = route.replace(':id', keyId);
      for (const attempt of attempts) {
        const form = { ...(forms[route] ?? {}), ...(attempt.csrf === undefined ? {} : { _csrf: attempt.csrf }) };
        const result = await admin.send(path, form, attempt.headers);
        expect(result.status, `${route}, ${attempt.name}`).toBe(403);
        expect(result.location, `${route}, ${attempt.name}`).toBeNull();
      }
    }
    expect(await countOf('job_runs')).toBe(runsBefore);
    expect(await countOf('api_keys')).toBe(keysBefore);
    expect((await database.db.query<{ revoked: boolean }>(sql`SELECT revoked_at IS NOT NULL AS revoked FROM api_keys WHERE id = ${keyId}::uuid`))[0]?.revoked).toBe(false);
    expect((await admin.send('/admin/jobs')).status).toBe(200); // still signed in
  });

  it('shows a lower tier the public pages only: no admin links, 403 on admin pages', async () => {
    const generated = generateApiKey();
    await createApiKey(database.db, { name: 'reader', tier: 'premium', prefix: generated.prefix, hash: generated.hash });
    const reader = visitor();
    await reader.signIn(generated.key);
    const signals = await reader.send('/signals');
    expect(signals.body).toContain('Sign out');
    expect(signals.body).not.toContain('href="/admin/jobs"');
    expect((await reader.send('/admin/jobs')).status).toBe(403);
    expect((await reader.send('/admin/keys')).status).toBe(403);
    expect((await reader.send('/admin/jobs', { job: 'janitor' })).status).toBe(403);
  });

  it('answers bad input on admin pages with a 400 page naming the field', async () => {
    const admin = visitor();
    await admin.signIn(BOOTSTRAP);
    const badQuery = await admin.send('/admin/jobs?limit=0');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body).toContain('aria-invalid="true"');
    expect((await admin.send('/admin/jobs', { job: 'no-such-job' })).status).toBe(400);
    const emptyName = await admin.send('/admin/keys', { name: '', tier: 'api_key' });
    expect(emptyName.status).toBe(400);
    expect((await admin.send('/admin/keys', { name: 'x', tier: 'superuser' })).status).toBe(400);
    expect((await admin.send('/admin/keys/not-a-uuid/revoke', {})).status).toBe(404);
  });

  it('creates a key shown once, escapes its name, and revokes it', async () => {
    const admin = visitor();
    await admin.signIn(BOOTSTRAP);
    await admin.send('/admin/keys');
    const created = await admin.send('/admin/keys', { name: '<script>alert(1)</script> & co', tier: 'api_key' });
    expect(created.status).toBe(201);
    expect(created.body).toMatch(/<code class="secret">shk_[A-Za-z0-9_-]{43}<\/code>/);
    expect(created.body).not.toContain('<script>alert(1)</script>');
    expect(created.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    const listed = await admin.send('/admin/keys');
    expect(listed.body).not.toMatch(/shk_[A-Za-z0-9_-]{43}/);
    const id = /action="\/admin\/keys\/([0-9a-f-]{36})\/revoke"/.exec(listed.body)?.[1] ?? '';
    const revoked = await admin.send(`/admin/keys/${id}/revoke`, {});
    expect(revoked.status).toBe(303);
  });
});
