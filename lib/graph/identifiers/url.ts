// Links: http(s) URLs found in text, and the identifier a URL stands for — the arXiv paper, DOI or
// GitHub repository it points at, else the page itself as `url:<canonical form>` (the harvest's
// own canonicalUrl, so a link and a stored signal's url compare equal).
import { canonicalUrl } from '../../harvest/dedupe.js';
import type { Identifier } from '../../model/relationship.js';
import { arxivIdOfDoi, arxivIdOfUrl } from './arxiv.js';
import { doiOfUrl } from './doi.js';
import { githubRepoOfUrl } from './github.js';

/** Longest identifier the table takes (signal_edges.to_identifier CHECK). */
export const MAX_IDENTIFIER_CHARS = 600;

/** A link in prose: up to whitespace, a quote or a bracket; bounded, so each attempt is cheap. */
const LINK_PATTERN = /https?:\/\/[^\s<>"'`()[\]{}]{1,500}/gi;

/** Punctuation that ends a sentence after a link. */
const TRAILING = /[.,;:!?]+$/;

function parse(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The identifiers a URL stands for: the artifact it names (if any), and always the page itself. */
export function identifiersOfUrl(text: string): { artifact?: Identifier; page?: Identifier } {
  const url = parse(text.trim());
  if (url === undefined) return {};
  const page = `url:${canonicalUrl(url.href)}` as const;
  const fitting = page.length <= MAX_IDENTIFIER_CHARS ? page : undefined;
  const arxiv = arxivIdOfUrl(url);
  if (arxiv !== undefined) return { artifact: `arxiv:${arxiv}`, page: fitting };
  const github = githubRepoOfUrl(url);
  if (github !== undefined) return { artifact: `github:${github}`, page: fitting };
  const doi = doiOfUrl(url);
  if (doi !== undefined) {
    const fromDoi = arxivIdOfDoi(doi);
    return { artifact: fromDoi === undefined ? `doi:${doi}` : `arxiv:${fromDoi}`, page: fitting };
  }
  return { page: fitting };
}

/** The links in `text`, in order, each once, at most `max`. */
export function linksIn(text: string, max: number): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(LINK_PATTERN)) {
    if (found.size >= max) break;
    found.add(match[0].replace(TRAILING, ''));
  }
  return [...found];
}
