// What every POST form of the dashboard needs: the hidden CSRF token (lib/web/session/csrf.ts), and
// on the way back, its fields read as strings, checked with an API route's own body schema.
import type { Context } from 'hono';
import * as z from 'zod/mini';
import type { AppEnv, ObjectSchema } from '../../http/index.js';
import { CSRF_FIELD } from '../session/csrf.js';
import { formCsrfToken } from '../session/cookies.js';
import { firstPerField, toFieldErrors, type FieldError } from '../../validation/field-errors.js';
import { unstorableTextErrors } from '../../validation/storable-text.js';
import { html, type Html } from '../html.js';

/** The hidden token field; sets the pre-session cookie when nobody is signed in. */
export function csrfField(c: Context<AppEnv>): Html {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${formCsrfToken(c)}">`;
}

/** The form's string fields (the CSRF token left out); csrfProtection has parsed the body already. */
export async function formFields(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (name !== CSRF_FIELD && typeof value === 'string' && value !== '') fields[name] = value;
  }
  return fields;
}

export type ParsedForm<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Checks form fields against a JSON body schema, as the API checks the same body. */
export function parseForm<S extends ObjectSchema>(schema: S, fields: Record<string, string>): ParsedForm<z.output<S>> {
  const errors = unstorableTextErrors('body', fields);
  const result = z.safeParse(schema, fields);
  if (!result.success) errors.push(...toFieldErrors('body', result.error.issues));
  if (errors.length > 0 || !result.success) return { ok: false, errors: firstPerField(errors) };
  return { ok: true, value: result.data };
}
