// GET /assets/{file}: the hashed static files (assets/assets.ts), cached for a year as immutable,
// compressed once per container and encoding at the best brotli quality (they never change).
import type { Context } from 'hono';
import { NotFoundError } from '../../errors.js';
import type { AppEnv } from '../../http/index.js';
import { assetAt, IMMUTABLE_CACHE_CONTROL, type Asset } from '../assets/assets.js';
import { chooseEncoding, compress, type Encoding } from '../compress.js';
import type { WebPage } from '../page.js';

const compressed = new Map<string, Buffer>();

function encoded(asset: Asset, encoding: Encoding): Buffer {
  const key = `${asset.path}\u0000${encoding}`;
  let body = compressed.get(key);
  if (body === undefined) {
    body = compress(Buffer.from(asset.body), encoding, 11);
    compressed.set(key, body);
  }
  return body;
}

function serveAsset(c: Context<AppEnv>): Response {
  const asset = assetAt(c.req.path);
  if (asset === undefined) throw new NotFoundError('no such asset');
  const encoding = chooseEncoding(c.req.header('accept-encoding'));
  const headers: Record<string, string> = { 'Content-Type': asset.contentType, 'Cache-Control': IMMUTABLE_CACHE_CONTROL, Vary: 'Accept-Encoding' };
  if (encoding === undefined) return c.body(asset.body, 200, headers);
  return c.body(new Uint8Array(encoded(asset, encoding)), 200, { ...headers, 'Content-Encoding': encoding });
}

export const assetsPage: WebPage = {
  name: 'assets',
  mount(app) {
    app.get('/assets/:file', serveAsset);
  },
};
