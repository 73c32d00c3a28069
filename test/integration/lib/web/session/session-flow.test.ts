// Sign-in, sessions and CSRF through a real app (lib/http's chain with the session middlewares) over
// a real database: the cookie holds a signed session id (never the key) with every protective
// attribute; sign-out, a revoked key, a rotated bootstrap key, a forged or an expired cookie each
// sign the browser out (cookie cleared); a POST without the right token, or from another site, is 403.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../../../../lib/auth/api-key.js';
import { resetConfig } from '../../../../../lib/config.js';
import { createApiKey, createApiKeyStore, revokeApiKey } from '../../../../../lib/db/api-keys-repo.js';
import type { Db } from '../../../../../lib/db/types.js';
import { createApp, type App } from '../../../../../lib/http/index.js';
import { formCsrfToken } from '../../../../../lib/web/session/cookies.js';
import { csrfProtection, webSession } from '../../../../../lib/web/session/middleware.js';
import { signIn, signOut } from '../../../../../lib/web/session/sign-in.js';
import { createPgliteDatabase, type TestDatabase } from '../../../../support/databases.js';

const ORIGIN = 'http://localhost';
const BOOTSTRAP = `bootstrap-${randomBytes(24).toString('hex')}`;
const TTL_MS = 3_600_000;

/** A browser's cookie jar, as far as these tests need one: name → value, cleared by Max-Age=0. */
class Jar {
  readonly cookies = new Map<string, string>();
  readonly lastSetCookies: string[] = [];
  take(response: Response): void {
    this.lastSetCookies.length = 0;
    for (const line of response.headers.getSetCookie()) {
      this.lastSetCookies.push(line);
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      if (/;\s*Max-Age=0\b/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(at + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

describe('web sign-in, sessions and CSRF', () => {
  let database: TestDatabase;
  let db: Db;
  let app: App;
  let clock = Date.now();
  const saved = { ...process.env };

  async function issue(tier: 'api_key' | 'premium' | 'admin'): Promise<{ key: string; id: string }> {
    const generated = generateApiKey();
    const record = await createApiKey(db, { name: `web ${tier}`, tier, prefix: generated.prefix, hash: generated.hash });
    return { key: generated.key, id: record.id };
  }

  async function send(jar: Jar, path: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers = new Headers({ host: 'localhost', ...init.headers });
    if (jar.cookies.size > 0) headers.set('cookie', jar.header());
    let body: string | undefined;
    if (init.form !== undefined) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      if (!headers.has('sec-fetch-site')) headers.set('sec-fetch-site', 'same-origin');
      body = new URLSearchParams(init.form).toString();
    }
    const response = await app.request(`${ORIGIN}${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
    jar.take(response);
    return response;
  }

  async function token(jar: Jar): Promise<string> {
    return (await send(jar, '/form')).text();
  }

  async function whoami(jar: Jar): Promise<{ tier: string; keyId: string | null; signedIn: boolean }> {
    return (await send(jar, '/whoami')).json() as Promise<{ tier: string; keyId: string | null; signedIn: boolean }>;
  }

  async function signedIn(key: string): Promise<Jar> {
    const jar = new Jar();
    const response = await send(jar, '/sign-in', { form: { _csrf: await token(jar), key } });
    expect(response.status).toBe(200);
    return jar;
  }

  beforeAll(async () => {
    process.env.ADMIN_API_KEY = BOOTSTRAP;
    delete process.env.WEB_SESSION_SECRET;
    process.env.WEB_SESSION_TTL_MS = String(TTL_MS);
    resetConfig();
    database = await createPgliteDatabase();
    db = database.db;
    const getDb = () => Promise.resolve(db);
    const store = createApiKeyStore(getDb);
    app = createApp({ name: 'web-session-test', keys: () => store, identify: webSession({ db: getDb, now: () => clock }) });
    app.get('/form', (c) => c.text(formCsrfToken(c)));
    app.get('/whoami', (c) => c.json({ ...c.get('caller'), keyId: c.get('caller').keyId ?? null, signedIn: c.get('webSession') !== undefined }));
    app.post('/sign-in', csrfProtection(), async (c) => {
      const form = await c.req.parseBody();
      const result = await signIn(c, typeof form.key === 'string' ? form.key : '', { keys: () => store, db: getDb, now: () => clock });
      return c.json(result, result.ok ? 200 : 403);
    });
    app.post('/sign-out', csrfProtection(), async (c) => {
      await signOut(c, getDb);
      return c.json({ ok: true });
    });
  });

  afterAll(async () => {
    await database.dispose();
    process.env = saved;
    resetConfig();
  });

  it('signs in with a key and sets a signed, HttpOnly, Secure, SameSite=Strict session cookie that never holds the key', async () => {
    const { key, id } = await issue('premium');
    const jar = new Jar();
    const response = await send(jar, '/sign-in', { form: { _csrf: await token(jar), key } });
    expect(response.status).toBe(200);
    const line = jar.lastSetCookies.find((cookie) => cookie.startsWith('__Host-shd_session='));
    expect(line).toBeDefined();
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; Secure/);
    expect(line).toMatch(/; SameSite=Strict/);
    expect(line).toMatch(/; Path=\//);
    // Expiry is whole seconds, rounded down: the cookie lives the TTL, less up to a second.
    expect(line).toMatch(new RegExp(`; Max-Age=(${String(TTL_MS / 1000 - 1)}|${String(TTL_MS / 1000)});`));
    expect(line).not.toContain(key);
    expect(line).not.toContain(key.slice(4, 20));
    await expect(whoami(jar)).resolves.toEqual({ tier: 'premium', keyId: id, signedIn: true });
  });

  it('refuses an unknown, revoked or malformed key without a cookie', async () => {
    const revoked = await issue('admin');
    await revokeApiKey(db, revoked.id);
    for (const key of [generateApiKey().key, revoked.key, 'not a key']) {
      const jar = new Jar();
      const response = await send(jar, '/sign-in', { form: { _csrf: await token(jar), key } });
      expect(response.status).toBe(403);
      expect(jar.cookies.has('__Host-shd_session')).toBe(false);
    }
  });

  it('refuses a sign-in POST without the pre-session token, or with one the cookie does not match', async () => {
    const { key } = await issue('admin');
    const jar = new Jar();
    await token(jar);
    expect((await send(jar, '/sign-in', { form: { key } })).status).toBe(403);
    expect((await send(jar, '/sign-in', { form: { key, _csrf: await token(new Jar()) } })).status).toBe(403);
    expect(jar.cookies.has('__Host-shd_session')).toBe(false);
  });

  it('refuses a cross-site POST with 403 even when it carries a valid token', async () => {
    const { key } = await issue('admin');
    const jar = new Jar();
    const csrf = await token(jar);
    const attempts: Array<Record<string, string>> = [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { 'sec-fetch-site': '', origin: 'https://evil.example' }];
    for (const headers of attempts) {
      const response = await send(jar, '/sign-in', { form: { _csrf: csrf, key }, headers });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'forbidden', message: 'cross-site request refused' } });
    }
  });

  it('needs the session token on POSTs once signed in, and a token of another session fails', async () => {
    const { key } = await issue('admin');
    const mine = await signedIn(key);
    const theirs = await signedIn(key);
    expect((await send(mine, '/sign-out', { form: { _csrf: await token(theirs) } })).status).toBe(403);
    expect((await send(mine, '/sign-out', { form: {} })).status).toBe(403);
    expect((await whoami(mine)).signedIn).toBe(true);
    expect((await send(mine, '/sign-out', { form: { _csrf: await token(mine) } })).status).toBe(200);
  });

  it('signs out: the session is revoked, so even a copy of the old cookie is signed out and cleared', async () => {
    const { key } = await issue('admin');
    const jar = await signedIn(key);
    const copy = new Jar();
    for (const [name, value] of jar.cookies) copy.cookies.set(name, value);
    await send(jar, '/sign-out', { form: { _csrf: await token(jar) } });
    expect(jar.cookies.has('__Host-shd_session')).toBe(false);
    await expect(whoami(copy)).resolves.toEqual({ tier: 'anonymous', keyId: null, signedIn: false });
    expect(copy.cookies.has('__Host-shd_session')).toBe(false);
  });

  it('signs out a forged cookie and clears it', async () => {
    const { key } = await issue('admin');
    const jar = await signedIn(key);
    const real = jar.cookies.get('__Host-shd_session') as string;
    const [id, expires] = real.split('.') as [string, string];
    jar.cookies.set('__Host-shd_session', `${id}.${String(Number(expires) + 86_400)}.${'A'.repeat(43)}`);
    await expect(whoami(jar)).resolves.toMatchObject({ tier: 'anonymous', signedIn: false });
    expect(jar.lastSetCookies.some((line) => line.startsWith('__Host-shd_session=;') && /Max-Age=0/.test(line))).toBe(true);
  });

  it('signs out an expired session', async () => {
    const { key } = await issue('admin');
    const jar = await signedIn(key);
    const copy = new Jar();
    copy.cookies.set('__Host-shd_session', jar.cookies.get('__Host-shd_session') as string);
    clock += TTL_MS + 1000;
    try {
      await expect(whoami(copy)).resolves.toMatchObject({ tier: 'anonymous', signedIn: false });
      expect(copy.cookies.has('__Host-shd_session')).toBe(false);
    } finally {
      clock -= TTL_MS + 1000;
    }
  });

  it('ends the sessions of a key when the key is revoked', async () => {
    const { key, id } = await issue('admin');
    const jar = await signedIn(key);
    expect((await whoami(jar)).tier).toBe('admin');
    await revokeApiKey(db, id);
    await expect(whoami(jar)).resolves.toMatchObject({ tier: 'anonymous', signedIn: false });
  });

  it('signs the bootstrap key in as admin, and a rotated bootstrap key ends that session', async () => {
    const jar = await signedIn(BOOTSTRAP);
    await expect(whoami(jar)).resolves.toEqual({ tier: 'admin', keyId: 'bootstrap', signedIn: true });
    process.env.ADMIN_API_KEY = `bootstrap-${randomBytes(24).toString('hex')}`;
    resetConfig();
    try {
      await expect(whoami(jar)).resolves.toMatchObject({ tier: 'anonymous', signedIn: false });
    } finally {
      process.env.ADMIN_API_KEY = BOOTSTRAP;
      resetConfig();
    }
  });
});
