// GET/POST /sign-in and POST /sign-out. The form takes an API key once (a password field, never
// echoed back or put in a URL); a good key starts a session (lib/web/session/) and the browser goes
// where it was headed (`next`, a path on this site only). Signed in, the page shows who is signed in
// and the sign-out button. Every POST passes csrfProtection first.
import type { Context } from 'hono';
import * as z from 'zod/mini';
import { defaultKeyStore } from '../../api/default-key-store.js';
import { hasTier } from '../../model/tiers.js';
import { defaultLimiter } from '../../ratelimit/default-limiter.js';
import type { AppEnv } from '../../http/index.js';
import type { FieldError } from '../../validation/field-errors.js';
import { errorSummary } from '../components/form.js';
import { csrfField, formFields, parseForm } from '../components/post-form.js';
import { signOutForm } from '../components/sign-out-form.js';
import { html, type Html } from '../html.js';
import { renderPage, type WebPage } from '../page.js';
import { guardPost } from '../session/middleware.js';
import { localPath } from '../session/local-path.js';
import { signIn, signOut } from '../session/sign-in.js';

const signInForm = z.strictObject({
  key: z.string().check(z.minLength(1, 'enter an API key'), z.maxLength(200)),
  next: z.optional(z.string().check(z.refine((value) => localPath(value) !== undefined, 'must be a path on this site, like /admin/jobs'))),
});

/** Tells browsers and proxies never to keep a page that carries a token or a key. */
function noStore(c: Context<AppEnv>): void {
  c.header('Cache-Control', 'no-store');
}

function form(c: Context<AppEnv>, next: string | undefined, errors: readonly FieldError[]): Html {
  const error = errors.find((item) => item.field === 'key' || item.field === '');
  return html`${errorSummary(errors)}<form class="filters" method="post" action="/sign-in" aria-label="Sign in">
${csrfField(c)}${next === undefined ? '' : html`<input type="hidden" name="next" value="${next}">`}
<div class="wide"><label for="f-key">API key</label><input id="f-key" name="key" type="password" autocomplete="off" spellcheck="false" required maxlength="200"${error === undefined ? '' : html` aria-invalid="true" aria-describedby="f-key-error"`}>${error === undefined ? '' : html`<p class="field-error" id="f-key-error">${error.message}</p>`}</div>
<div><button type="submit">Sign in</button></div>
</form>
<p class="muted">The key is checked once and never stored in your browser: a signed session cookie (HttpOnly, Secure, SameSite=Strict) stands for it until you sign out or it expires. Revoking the key ends its sessions.</p>`;
}

function signedInBody(c: Context<AppEnv>): Html {
  const caller = c.get('caller');
  const session = c.get('webSession');
  const until = session === undefined ? '' : new Date(session.expiresAtMs).toISOString().slice(0, 16).replace('T', ' ');
  return html`<p>You are signed in with a key of the <strong>${caller.tier}</strong> tier${until === '' ? '' : html`, until ${until} UTC`}.</p>
${hasTier(caller.tier, 'admin') ? html`<p><a href="/admin/jobs">Jobs</a> · <a href="/admin/keys">API keys</a></p>` : ''}
${signOutForm(c)}`;
}

function signInPage(c: Context<AppEnv>): Response {
  noStore(c);
  if (c.get('webSession') !== undefined) return renderPage(c, { title: 'Signed in', body: signedInBody(c) });
  const next = localPath(c.req.query('next'));
  return renderPage(c, { title: 'Sign in', body: form(c, next, []) });
}

async function signInPost(c: Context<AppEnv>): Promise<Response> {
  noStore(c);
  const fields = await formFields(c);
  const next = localPath(fields.next);
  const parsed = parseForm(signInForm, fields);
  if (!parsed.ok) return renderPage(c, { title: 'Sign in', status: 400, body: form(c, next, parsed.errors) });
  const result = await signIn(c, parsed.value.key, { keys: defaultKeyStore, limiter: defaultLimiter });
  if (!result.ok) {
    // One message for unknown, revoked and malformed keys: the form is no oracle for which it was.
    const errors: FieldError[] = [{ location: 'body', field: 'key', message: 'this key was not accepted' }];
    return renderPage(c, { title: 'Sign in', status: 403, body: form(c, next, errors) });
  }
  return c.redirect(next ?? (result.tier === 'admin' ? '/admin/jobs' : '/signals'), 303);
}

async function signOutPost(c: Context<AppEnv>): Promise<Response> {
  await signOut(c);
  return c.redirect('/', 303);
}

export const signInPageRoute: WebPage = {
  name: 'sign-in',
  mount(app) {
    app.get('/sign-in', signInPage);
    app.post('/sign-in', guardPost(), signInPost);
    app.post('/sign-out', guardPost(), signOutPost);
  },
};
