// Where sign-in may send the browser afterwards (`next`): a path on this site only, never another
// host. Browsers read `//host`, `/\host` and `/<tab>/host` as another host, and `javascript:` or
// `https://…` need no explanation; a value with a control character or past 512 characters is
// refused too, and so is one whose dot segments resolve to `//host`. An accepted value is re-serialised by the URL parser (percent-encoded ASCII), so the
// Location header holds nothing a browser could read otherwise and nothing a header cannot carry.

/** One leading slash, then no second slash or backslash; no whitespace, backslash or control character. */
const LOCAL_PATH = /^\/(?![/\\])[^\s\\\p{Cc}]{0,511}$/u;
/** A base no request names: a value that leaves it (by any trick the regex missed) is refused. */
const BASE = 'https://next.invalid';

/** The same-site path `value` names, normalised; undefined for anything else. */
export function localPath(value: string | undefined): string | undefined {
  if (value === undefined || !LOCAL_PATH.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return undefined;
  }
  if (url.origin !== BASE) return undefined;
  // Dot segments resolve first: `/..//host` and `/.//host` become `//host`, so the result is checked again.
  const path = `${url.pathname}${url.search}${url.hash}`;
  return LOCAL_PATH.test(path) ? path : undefined;
}
