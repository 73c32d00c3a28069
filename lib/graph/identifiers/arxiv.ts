// arXiv identifiers: new style `2401.01234` (since 2007; five digits after the dot since 2015) and
// old style `archive(.SUBJ)?/YYMMNNN` (before 2007), in abs/pdf/html URLs, `arXiv:` mentions and
// the arXiv DOI (10.48550/arXiv.…). Versions are folded: `2401.01234v2` is `arxiv:2401.01234`, one
// paper whatever its revision. Every pattern is linear: bounded quantifiers, no nested repetition.

/** The archives of old-style identifiers (arXiv's list before 2007); a closed list keeps `foo/1234567` out. */
const OLD_ARCHIVES =
  'acc-phys|adap-org|alg-geom|ao-sci|astro-ph|atom-ph|bayes-an|chao-dyn|chem-ph|cmp-lg|comp-gas|cond-mat|cs|dg-ga|funct-an|' +
  'gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math|math-ph|mtrl-th|nlin|nucl-ex|nucl-th|patt-sol|physics|plasm-ph|q-alg|q-bio|q-fin|' +
  'quant-ph|solv-int|stat|supr-con';

/** `YYMM.NNNN(N)` with a real month, then an optional version. */
const NEW_ID = String.raw`(\d{2}(?:0[1-9]|1[0-2])\.\d{4,5})(?:v\d{1,3})?`;
/** `archive(.XX)?/YYMMNNN`, then an optional version. */
const OLD_ID = String.raw`((?:${OLD_ARCHIVES})(?:\.[A-Z]{2})?/\d{2}(?:0[1-9]|1[0-2])\d{3})(?:v\d{1,3})?`;

/** An arXiv URL's path: abs, pdf (with or without `.pdf`) or html, on arxiv.org or export.arxiv.org. */
const URL_PATTERN = new RegExp(String.raw`^/(?:abs|pdf|html)/(?:${NEW_ID}|${OLD_ID})(?:\.pdf)?/?$`, 'i');

/** `arXiv:2401.01234`, `arXiv 2401.01234`, `arXiv.2401.01234` (the DOI's suffix) or a bare new-style id. */
const TEXT_PATTERN = new RegExp(String.raw`(?<![\w./-])(?:arxiv[:. ]\s?)?(?:${NEW_ID}|${OLD_ID})(?![\w/-]|\.\d)`, 'gi');

/** Whether a match carried the `arXiv` prefix (a bare number is weaker evidence). */
export interface ArxivMention {
  id: string;
  prefixed: boolean;
}

function fold(id: string): string {
  // Old-style archives are lower case; the subject class (math.GT) keeps its case.
  return id.replace(/^[A-Za-z-]+/, (archive) => archive.toLowerCase());
}

/** The paper an arXiv URL points at, without version; undefined for any other URL. */
export function arxivIdOfUrl(url: URL): string | undefined {
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  if (host !== 'arxiv.org' && host !== 'export.arxiv.org') return undefined;
  const match = URL_PATTERN.exec(url.pathname);
  if (match === null) return undefined;
  const id = match[1] ?? match[2];
  return id === undefined ? undefined : fold(id);
}

/** arXiv ids named in `text`, in order of appearance, each once, at most `max`. */
export function arxivMentions(text: string, max: number): ArxivMention[] {
  const found = new Map<string, ArxivMention>();
  for (const match of text.matchAll(TEXT_PATTERN)) {
    if (found.size >= max) break;
    const id = match[1] ?? match[2];
    if (id === undefined) continue;
    const prefixed = /^arxiv/i.test(match[0]);
    const key = fold(id);
    const known = found.get(key);
    if (known === undefined) found.set(key, { id: key, prefixed });
    else if (prefixed) known.prefixed = true;
  }
  return [...found.values()];
}

/** `10.48550/arXiv.2401.01234` (arXiv's own DOI) → `2401.01234`; undefined for other DOIs. */
export function arxivIdOfDoi(doi: string): string | undefined {
  const match = /^10\.48550\/arxiv\.(.+)$/i.exec(doi);
  if (match?.[1] === undefined) return undefined;
  const id = new RegExp(String.raw`^(?:${NEW_ID}|${OLD_ID})$`).exec(match[1]);
  const found = id?.[1] ?? id?.[2];
  return found === undefined ? undefined : fold(found);
}
