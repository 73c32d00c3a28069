// What a signal is and what it names, as graph identifiers (lib/model/relationship.ts syntax),
// read from its own URL, title and text. Bounded whatever the input: at most MAX_SCAN_CHARS of text
// are scanned, each pattern is linear (./arxiv.ts, ./doi.ts, ./github.ts, ./url.ts), and a signal
// yields at most MAX_IDENTIFIERS identifiers.
import type { Identifier } from '../../model/relationship.js';
import type { SignalKind } from '../../model/signal.js';
import { arxivIdOfDoi, arxivMentions } from './arxiv.js';
import { doiMentions } from './doi.js';
import { githubMentions } from './github.js';
import { MAX_IDENTIFIER_CHARS, identifiersOfUrl, linksIn } from './url.js';

/**
 * How a signal carries an identifier, strongest first:
 * - `self`: the signal is that thing (an arXiv entry's paper, a GitHub repository, its own page);
 * - `subject`: its own URL points at it (an HN story linking a repository, a release's repository);
 * - `link`: a URL in its title or text points at it;
 * - `named`: named in prose with its scheme (`arXiv:2401.01234`, a DOI);
 * - `bare`: a bare new-style arXiv number, which could be something else.
 */
export const IDENTIFIER_ROLES = ['self', 'subject', 'link', 'named', 'bare'] as const;
export type IdentifierRole = (typeof IDENTIFIER_ROLES)[number];

export interface FoundIdentifier {
  identifier: Identifier;
  role: IdentifierRole;
}

/** Characters of title + text read; a source's text is already bounded (10,000), this bounds any caller. */
export const MAX_SCAN_CHARS = 20_000;
/** Identifiers kept per signal (and so edges written per signal). */
export const MAX_IDENTIFIERS = 32;

/** What extraction reads of a signal. */
export interface IdentifierSource {
  /** The source name (lib/model/sources.ts), or any other for signals stored otherwise. */
  source: string;
  kind: SignalKind;
  url: string;
  title: string;
  text: string;
}

/** Which source is the home of an identifier kind: a signal from there with that URL is the thing itself. */
const HOME: Partial<Record<string, 'arxiv' | 'github'>> = { arxiv: 'arxiv', github: 'github' };

/** Identifiers of `signal`, each once with its strongest role, at most MAX_IDENTIFIERS. */
export function extractIdentifiers(signal: IdentifierSource): FoundIdentifier[] {
  const found = new Map<Identifier, IdentifierRole>();
  const add = (identifier: Identifier | undefined, role: IdentifierRole): void => {
    if (identifier === undefined || identifier.length > MAX_IDENTIFIER_CHARS) return;
    if (found.has(identifier) || found.size >= MAX_IDENTIFIERS) return;
    found.set(identifier, role);
  };

  const own = identifiersOfUrl(signal.url);
  add(own.page, 'self');
  if (own.artifact !== undefined) {
    const kind = own.artifact.slice(0, own.artifact.indexOf(':'));
    // A GitHub release's URL names its repository: the release is about it, not it.
    const isIt = HOME[signal.source] === kind && !(kind === 'github' && signal.kind === 'release');
    add(own.artifact, isIt ? 'self' : 'subject');
  }

  const text = `${signal.title}\n${signal.text}`.slice(0, MAX_SCAN_CHARS);
  for (const link of linksIn(text, MAX_IDENTIFIERS)) {
    const { artifact, page } = identifiersOfUrl(link);
    add(artifact, 'link');
    // A link to a page that is no known artifact: the page itself (a blog post, another signal).
    if (artifact === undefined) add(page, 'link');
  }
  for (const repo of githubMentions(text, MAX_IDENTIFIERS)) add(`github:${repo}`, 'link');
  for (const doi of doiMentions(text, MAX_IDENTIFIERS)) {
    const arxiv = arxivIdOfDoi(doi);
    add(arxiv === undefined ? `doi:${doi}` : `arxiv:${arxiv}`, 'named');
  }
  for (const { id, prefixed } of arxivMentions(text, MAX_IDENTIFIERS)) add(`arxiv:${id}`, prefixed ? 'named' : 'bare');
  return [...found].map(([identifier, role]) => ({ identifier, role }));
}
