// The entities one signal names: what its source adapter reported (`entities`, when it knows more
// than the display author), else what its `author` and `url` say. Bounded: a few mentions per
// signal whatever the text, and only anchored patterns without nested repetition on source input.
import type { EntityMention } from '../../model/entity.js';
import type { SourceName } from '../../model/sources.js';
import { normaliseName } from './names.js';

/** What extraction reads of a signal (a harvested item or a stored row). */
export interface MentionSource {
  source: SourceName;
  url: string;
  author: string | null;
  entities?: readonly EntityMention[];
}

/** Most mentions kept per signal (an arXiv paper with 500 authors keeps its first ones). */
export const MAX_MENTIONS_PER_SIGNAL = 24;

/** Profile URLs of the account sources. */
const PROFILE_URL: Partial<Record<SourceName, (handle: string) => string>> = {
  hackernews: (handle) => `https://news.ycombinator.com/user?id=${encodeURIComponent(handle)}`,
  reddit: (handle) => `https://www.reddit.com/user/${encodeURIComponent(handle)}`,
  x: (handle) => `https://x.com/${encodeURIComponent(handle)}`,
  github: (handle) => `https://github.com/${encodeURIComponent(handle)}`,
};

/** GitHub paths that are not `owner/repo`. */
const NOT_OWNERS = new Set(['orgs', 'topics', 'features', 'settings', 'marketplace', 'sponsors', 'apps', 'about', 'login', 'search', 'collections', 'explore', 'trending', 'users', 'enterprise', 'pricing', 'site', 'security', 'customer-stories']);

/** Anchored; each part a single bounded character class: linear in the URL. */
const GITHUB_REPO_URL = /^https?:\/\/(?:www\.)?github\.com\/([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})(?:[/?#]|$)/;

/** `owner/repo` of a GitHub repository URL (any page under it), lower case; undefined otherwise. */
export function githubRepoOf(url: string): string | undefined {
  const match = GITHUB_REPO_URL.exec(url.slice(0, 300));
  if (match === null) return undefined;
  const owner = (match[1] ?? '').toLowerCase();
  const repo = (match[2] ?? '').toLowerCase().replace(/\.git$/, '');
  if (NOT_OWNERS.has(owner) || repo === '' || repo === '.' || repo === '..') return undefined;
  return `${owner}/${repo}`;
}

/** `A, B, C et al.` (lib/harvest/sources/arxiv.ts authorLine) as names. */
function authorNames(line: string): string[] {
  return line
    .slice(0, 2000)
    .replace(/\s+et al\.?$/, '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

function fromAuthor(signal: MentionSource): EntityMention[] {
  const author = signal.author?.trim();
  if (author === undefined || author === '') return [];
  if (signal.source === 'arxiv') {
    return authorNames(author).map((name) => ({ kind: 'person', role: 'author', source: 'arxiv', handle: name, unique: false }));
  }
  const profile = PROFILE_URL[signal.source];
  return [
    {
      kind: 'person',
      role: signal.source === 'github' ? 'owner' : 'author',
      source: signal.source,
      handle: author,
      unique: true,
      ...(profile === undefined ? {} : { url: profile(author) }),
    },
  ];
}

/** The key a mention is recorded under: `source:handle` for an account, `name:<normalised>` for a bare name. */
export function mentionKey(mention: Pick<EntityMention, 'source' | 'handle' | 'unique'>): string {
  return mention.unique ? `${mention.source}:${mention.handle.toLowerCase()}` : `name:${normaliseName(mention.handle)}`;
}

/** The mentions of one signal, each (role, key) once, arXiv affiliations as organisations. */
export function extractMentions(signal: MentionSource): EntityMention[] {
  const mentions: EntityMention[] = [...(signal.entities ?? fromAuthor(signal))];
  for (const mention of [...mentions]) {
    if (mention.affiliation !== undefined && mention.affiliation.trim() !== '') {
      // An institution's name is its identity at the source: the same string, the same organisation.
      mentions.push({ kind: 'organization', role: 'affiliation', source: mention.source, handle: mention.affiliation.trim(), unique: true });
    }
  }
  const repo = githubRepoOf(signal.url);
  if (repo !== undefined) {
    mentions.push({ kind: 'repository', role: 'repository', source: 'github', handle: repo, unique: true, url: `https://github.com/${repo}` });
  }
  const seen = new Set<string>();
  return mentions
    .filter((mention) => mention.handle.trim() !== '' && normaliseName(mention.handle) !== '')
    .filter((mention) => {
      const key = `${mention.role}\u0000${mentionKey(mention)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, MAX_MENTIONS_PER_SIGNAL);
}
