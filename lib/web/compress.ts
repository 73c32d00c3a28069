// Compression of the web function's text responses. API Gateway's HTTP API does not compress, so
// the function does: brotli when the client accepts it (quality 5: most of the gain at a fraction
// of the default 11's time), else gzip. Bodies under 1 KB are left as they are; the Lambda adapter
// sends a Content-Encoding body as base64, as API Gateway expects.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/index.js';
import { renderedText } from './page.js';

const MIN_BYTES = 1024;
const COMPRESSIBLE = /^(text\/|image\/svg\+xml|application\/(json|javascript))/i;

export type Encoding = 'br' | 'gzip';

/** The encoding to use for a request's Accept-Encoding, or undefined for none. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (acceptEncoding === undefined) return undefined;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name = '', ...params] = part.trim().split(';');
    const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  if ((accepted.get('br') ?? 0) > 0) return 'br';
  if ((accepted.get('gzip') ?? 0) > 0) return 'gzip';
  return undefined;
}

/** `body` compressed with `encoding`; `quality` for brotli (0–11). */
export function compress(body: Uint8Array, encoding: Encoding, quality = 4): Buffer {
  if (encoding === 'gzip') return gzipSync(body, { level: 6 });
  return brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength },
  });
}

export function compression(): MiddlewareHandler<AppEnv> {
  return async function compression(c, next) {
    await next();
    const response = c.res;
    const type = response.headers.get('content-type') ?? '';
    if (c.req.method === 'HEAD' || response.body === null || response.headers.has('content-encoding') || !COMPRESSIBLE.test(type)) return;
    response.headers.append('Vary', 'Accept-Encoding');
    const encoding = chooseEncoding(c.req.header('accept-encoding'));
    if (encoding === undefined) return;
    // A page's text as rendered (page.ts), or the body read back from the stream.
    const text = renderedText(response);
    const body = text === undefined ? new Uint8Array(await response.arrayBuffer()) : Buffer.from(text);
    if (body.byteLength < MIN_BYTES) {
      c.res = new Response(body, response);
      return;
    }
    const headers = new Headers(response.headers);
    headers.set('Content-Encoding', encoding);
    headers.delete('Content-Length');
    c.res = undefined; // hono keeps the headers of a replaced response unless it is cleared first
    c.res = new Response(compress(body, encoding), { status: response.status, headers });
  };
}
