// DOIs: `10.<registrant>/<suffix>` in prose, `doi:` mentions and doi.org links, lower-cased (DOIs
// are case-insensitive). The public doi-regex package was measured and not used: its unbounded
// `[0-9]{2,}(?:[.][0-9]+)*` and `\S+` make a scan quadratic in a run of `10.10.10…` (256 KB took
// 17 s). Here every quantifier is bounded, so one match attempt costs at most a few hundred steps
// and a scan is linear in the text.

/** Registrant `10.NNNN(.NNNN)*`, then `/`, then a suffix up to whitespace or a character DOIs must escape. */
const DOI_PATTERN = /(?<![\w.])10\.\d{4,9}(?:\.\d{1,9}){0,3}\/[^\s"<>#?%{}|\\^`]{1,200}/g;

/** Punctuation that ends a sentence or closes a bracket around a DOI, not part of it. */
const TRAILING = /[.,;:!'\])}]+$/;

/** A DOI as found in text or a path: trailing punctuation dropped, lower case; undefined if nothing is left. */
export function normaliseDoi(raw: string): string | undefined {
  let doi = raw.replace(TRAILING, '');
  // A closing parenthesis is part of some DOIs (10.1016/0370-2693(82)90087-4): keep it when balanced.
  if (raw.length > doi.length && raw[doi.length] === ')' && doi.split('(').length > doi.split(')').length) doi += ')';
  if (!/^10\.\d{4,9}(?:\.\d{1,9}){0,3}\/./.test(doi)) return undefined;
  return doi.toLowerCase();
}

/** The DOI a doi.org link resolves, undefined for any other URL. */
export function doiOfUrl(url: URL): string | undefined {
  const host = url.hostname.toLowerCase();
  if (host !== 'doi.org' && host !== 'dx.doi.org' && host !== 'www.doi.org') return undefined;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname.slice(1));
  } catch {
    return undefined;
  }
  return normaliseDoi(path);
}

/** DOIs named in `text`, in order, each once, at most `max`. */
export function doiMentions(text: string, max: number): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(DOI_PATTERN)) {
    if (found.size >= max) break;
    const doi = normaliseDoi(match[0]);
    if (doi !== undefined) found.add(doi);
  }
  return [...found];
}
