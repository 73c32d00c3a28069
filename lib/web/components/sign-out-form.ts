// The sign-out button, in the header of every page while signed in: a POST (signing out changes
// state, so no link a third-party page could trigger) carrying the session's CSRF token.
import type { Context } from 'hono';
import type { AppEnv } from '../../http/index.js';
import { html, type Html } from '../html.js';
import { csrfField } from './post-form.js';

export function signOutForm(c: Context<AppEnv>): Html {
  return html`<form method="post" action="/sign-out" class="sign-out">${csrfField(c)}<button type="submit">Sign out</button></form>`;
}
