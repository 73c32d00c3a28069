// Reads a request body as JSON, or explains why it cannot: 415 for anything but application/json,
// 400 for bytes that are not UTF-8 JSON, 400 for a body sent to a route that takes none (ignoring
// it would hide a client's mistake, e.g. filters sent in a GET body that were never applied; 415
// would wrongly suggest another content type could work). Runs after the body limit and the auth
// middleware, so the JSON parser only ever sees bounded bodies from callers allowed to send them.
import type { HonoRequest } from 'hono';
import { BadRequestError, UnsupportedMediaTypeError, ValidationError } from '../../errors.js';
import { fieldPath } from '../../validation/field-errors.js';
import { firstDuplicateKey } from './duplicate-keys.js';

/**
 * JSON text is UTF-8 (RFC 8259 §8.1); `fatal` makes invalid bytes an error, not U+FFFD. Pure, so a
 * bundle that mounts no route leaves this module out (see validate.ts).
 */
const utf8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true });

/** `application/json`, optionally with parameters; a charset, if given, must be UTF-8. */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [essence = '', ...parameters] = header.split(';');
  if (essence.trim().toLowerCase() !== 'application/json') return false;
  return parameters.every((parameter) => {
    const [name = '', value = ''] = parameter.split('=', 2);
    if (name.trim().toLowerCase() !== 'charset') return true;
    return value.trim().replace(/^"(.*)"$/, '$1').toLowerCase() === 'utf-8';
  });
}

/**
 * The parsed JSON body, or `undefined` when the request has none (zero bytes). `expectsBody` is
 * whether the route declares a body schema.
 */
export async function readJsonBody(req: Pick<HonoRequest, 'arrayBuffer' | 'header' | 'raw'>, expectsBody: boolean): Promise<unknown> {
  // No body stream is zero bytes. Asking the light Request of a bodiless event (lambda/adapter.ts)
  // for its bytes would build the real undici Request (~60 µs and its garbage on every GET) only
  // to read nothing.
  if (req.raw.body === null) return undefined;
  const bytes = new Uint8Array(await req.arrayBuffer());
  if (bytes.byteLength === 0) return undefined;
  if (!expectsBody) throw new BadRequestError('this route takes no request body');
  if (!isJsonContentType(req.header('content-type'))) {
    throw new UnsupportedMediaTypeError('request body must be application/json');
  }
  let text: string;
  let parsed: unknown;
  try {
    text = utf8.decode(bytes);
    parsed = JSON.parse(text) as unknown;
  } catch (error) {
    throw new BadRequestError('malformed JSON body', { cause: error });
  }
  // Only an object can repeat a key; a body without one is not scanned.
  const duplicate = text.includes('{') ? firstDuplicateKey(text) : undefined;
  if (duplicate !== undefined) {
    throw new ValidationError('request validation failed', {
      details: [{ location: 'body', field: fieldPath(duplicate), message: 'is given more than once' }],
    });
  }
  return parsed;
}
