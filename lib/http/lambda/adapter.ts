// API Gateway HTTP API (payload 2.0) events to fetch Requests and Responses back to results: what
// `hono/aws-lambda`'s handle() does (deprecated there in favour of a package our registry lacks),
// for the one event shape we deploy, with one difference on the hot path. A request without a
// body — most of them — becomes a light Request: url, method and headers are all Hono's router
// and our middleware read, and undici's Request constructor (URL parsing, a transferable
// AbortSignal, its body machinery) cost ~80 µs of CPU and most of the garbage of a warm request on
// Node 20. Anything else a caller reads (signal, clone(), text()…) builds the real Request then.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

const URL_KEY = Symbol('url');
const METHOD_KEY = Symbol('method');
const HEADERS_KEY = Symbol('headers');
const REAL_KEY = Symbol('real request');

interface LightFields {
  [URL_KEY]: string;
  [METHOD_KEY]: string;
  [HEADERS_KEY]: Headers;
  [REAL_KEY]?: Request;
}

function real(light: LightFields): Request {
  light[REAL_KEY] ??= new Request(light[URL_KEY], { method: light[METHOD_KEY], headers: light[HEADERS_KEY] });
  return light[REAL_KEY];
}

/**
 * Request.prototype underneath, so `instanceof Request` holds; own accessors for what we know.
 * Built on the first request, not at import: touching `Request` loads Node's fetch implementation
 * (undici), ~30 ms a cold start does not need to pay before its first request does.
 */
let lightPrototype: object | undefined;

function buildLightPrototype(): object {
  const prototype = Object.create(Request.prototype, {
    url: { get(this: LightFields) { return this[URL_KEY]; } },
    method: { get(this: LightFields) { return this[METHOD_KEY]; } },
    headers: { get(this: LightFields) { return this[HEADERS_KEY]; } },
    body: { get: () => null },
    bodyUsed: { get: () => false },
  }) as object;
  for (const name of ['cache', 'credentials', 'destination', 'duplex', 'integrity', 'keepalive', 'mode', 'redirect', 'referrer', 'referrerPolicy', 'signal']) {
    Object.defineProperty(prototype, name, {
      get(this: LightFields): unknown {
        return (real(this) as unknown as Record<string, unknown>)[name];
      },
    });
  }
  for (const name of ['arrayBuffer', 'blob', 'bytes', 'clone', 'formData', 'json', 'text']) {
    Object.defineProperty(prototype, name, {
      value(this: LightFields): unknown {
        const request = real(this) as unknown as Record<string, () => unknown>;
        return request[name]?.call(request);
      },
    });
  }
  return prototype;
}

/** Header values must be ByteStrings; API Gateway passes UTF-8 through, so encode what is not ASCII (as hono does). */
function headerValue(value: string): string {
  // eslint-disable-next-line no-control-regex -- the ASCII range is exactly what is allowed as is
  return /[^\x00-\x7F]/.test(value) ? encodeURIComponent(value) : value;
}

/** The fetch Request API Gateway's event describes. */
export function toRequest(event: APIGatewayProxyEventV2): Request {
  const host = event.requestContext.domainName;
  const url = `https://${host}${event.rawPath}${event.rawQueryString === '' ? '' : `?${event.rawQueryString}`}`;
  const headers = new Headers();
  if (event.cookies !== undefined && event.cookies.length > 0) headers.set('cookie', event.cookies.join('; '));
  for (const [name, value] of Object.entries(event.headers)) {
    if (value !== undefined && value !== '') headers.set(name, headerValue(value));
  }
  const method = event.requestContext.http.method;
  if (event.body === undefined || event.body === '') {
    lightPrototype ??= buildLightPrototype();
    const light = Object.create(lightPrototype) as LightFields;
    light[URL_KEY] = url;
    light[METHOD_KEY] = method;
    light[HEADERS_KEY] = headers;
    return light as unknown as Request;
  }
  const body = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  headers.set('content-length', String(body.byteLength));
  return new Request(url, { method, headers, body });
}

/**
 * Bodies handed to a Response as text, by that Response: `toResult` takes the text from here instead
 * of reading it back through the Response's stream (encode to bytes, stream, decode: ~60 KB of
 * garbage and a chain of promises for a 30 KB page). A Response replaced later (a middleware
 * building a new one) is not in the map and is read as usual.
 */
const textBodies = new WeakMap<Response, string>();

/** Returns `response`, remembering that its body is `text` (see textBodies). */
export function withTextBody(response: Response, text: string): Response {
  textBodies.set(response, text);
  return response;
}

/** Content types whose bodies travel as text; anything else is base64, as API Gateway expects binary. */
const TEXT_TYPE = /^(text\/|application\/(json|problem\+json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

/** The payload 2.0 result for a Response: status, headers, cookies, the body as text or base64. */
export async function toResult(response: Response): Promise<APIGatewayProxyStructuredResultV2> {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const setCookies = response.headers.getSetCookie();
  if (setCookies.length > 0) cookies = setCookies;
  const type = response.headers.get('content-type');
  const encoding = response.headers.get('content-encoding');
  const binary = (encoding !== null && encoding !== 'identity') || (type !== null && !TEXT_TYPE.test(type));
  const body = binary ? Buffer.from(await response.arrayBuffer()).toString('base64') : (textBodies.get(response) ?? (await response.text()));
  return { statusCode: response.status, headers, body, isBase64Encoded: binary, ...(cookies === undefined ? {} : { cookies }) };
}
