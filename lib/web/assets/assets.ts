// The dashboard's static files: bundled with the function as text, each served under a name that
// carries a hash of its content (`style.3f9a1c2e7b.css`), so a response can be cached for a year
// and marked immutable: a changed file is a new URL. Hashed once per container, at first use.
import { createHash } from 'node:crypto';
import { STYLE_CSS } from './style.js';

export interface Asset {
  /** The URL path, hash included: `/assets/style.<hash>.css`. */
  path: string;
  contentType: string;
  body: string;
}

/** A year: the longest lifetime caches honour; `immutable` spares revalidation on reload. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

interface Source {
  name: string;
  extension: string;
  contentType: string;
  body: string;
}

const SOURCES: readonly Source[] = [{ name: 'style', extension: 'css', contentType: 'text/css; charset=utf-8', body: STYLE_CSS }];

let byPath: Map<string, Asset> | undefined;
let byName: Map<string, Asset> | undefined;

function build(): void {
  byPath = new Map();
  byName = new Map();
  for (const source of SOURCES) {
    const hash = createHash('sha256').update(source.body).digest('hex').slice(0, 12);
    const asset = { path: `/assets/${source.name}.${hash}.${source.extension}`, contentType: source.contentType, body: source.body };
    byPath.set(asset.path, asset);
    byName.set(`${source.name}.${source.extension}`, asset);
  }
}

/** The asset served at `path`, or undefined (an old hash, an unknown name). */
export function assetAt(path: string): Asset | undefined {
  if (byPath === undefined) build();
  return byPath?.get(path);
}

/** The hashed URL path of `name` (`style.css`); throws for a name that is not an asset. */
export function assetPath(name: string): string {
  if (byName === undefined) build();
  const asset = byName?.get(name);
  if (asset === undefined) throw new Error(`no asset named ${name}`);
  return asset.path;
}
