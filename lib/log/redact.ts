// Redaction for log lines: applied by JSON.stringify to every key/value of every line, so no code
// path can forget it. Sensitive keys lose their value; known secret values and bearer tokens are
// masked wherever they appear inside a string.

const REDACTED = '[REDACTED]';

/** Keys whose value is never logged (case-insensitive, `-`/`_` ignored). */
const SENSITIVE_KEY = /^(authorization|proxyauthorization|xapikey|apikey|cookie|setcookie|password|passwd|secret|secrets|token|accesstoken|refreshtoken|clientsecret|databaseurl|connectionstring|privatekey)$/;

const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
/** `password=…`, `token: …` and the like inside free text (e.g. a driver's error message). */
const INLINE_ASSIGNMENT = /\b(password|passwd|pwd|secret|token|api[_-]?key)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&"']+)/gi;
const URL_CREDENTIALS = /\/\/([^/\s:@]*):([^/\s@]+)@/g;

/** Secret values registered at run time (e.g. loaded from Secrets Manager); masked in any string. */
const secretValues = new Set<string>();

/** Registers a value that must never appear in a log line. Short values are ignored: too common. */
export function registerSecretValue(value: string): void {
  if (value.length >= 8) secretValues.add(value);
}

/** Forgets registered secret values (tests). */
export function clearSecretValues(): void {
  secretValues.clear();
}

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key.toLowerCase().replace(/[-_]/g, ''));
}

/** Every pattern above needs one of these; one test spares most strings three replacements. */
const MAY_HOLD_CREDENTIALS = /bearer|basic|@|password|passwd|pwd|secret|token|api[_-]?key/i;

export function redactString(text: string): string {
  let out = MAY_HOLD_CREDENTIALS.test(text)
    ? text
        .replace(BEARER, `$1 ${REDACTED}`)
        .replace(URL_CREDENTIALS, `//$1:${REDACTED}@`)
        .replace(INLINE_ASSIGNMENT, `$1$2${REDACTED}`)
    : text;
  for (const secret of secretValues) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** A JSON.stringify replacer: redacts by key, then masks secrets inside strings. */
export function redactReplacer(key: string, value: unknown): unknown {
  if (key !== '' && isSensitiveKey(key) && value !== undefined && value !== null) return REDACTED;
  if (typeof value === 'string') return redactString(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}
