// Match profiles (lib/graph/entities/score.ts) of a new mention and of a stored entity, and the
// merge of one into another when an alias joins an entity during a batch.
import type { EntityMention } from '../../model/entity.js';
import type { StoredAliasProfile } from '../../db/entity-resolution-repo.js';
import type { MatchProfile } from './score.js';
import { normaliseName } from './names.js';
import { mentionKey } from './extract.js';

/** Hosts of the sources themselves: sharing one says nothing about who someone is. */
const PLATFORM_HOSTS = new Set(['github.com', 'x.com', 'twitter.com', 'news.ycombinator.com', 'reddit.com', 'old.reddit.com', 'arxiv.org']);

/** The host of a profile's own link (`www.` dropped), unless it is a platform's. */
export function domainOf(url: string | null | undefined): string | undefined {
  if (url === null || url === undefined || url.length > 2000) return undefined;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  host = host.replace(/^www\./, '');
  return host === '' || PLATFORM_HOSTS.has(host) ? undefined : host;
}

/** A mutable profile: an entity's grows as aliases join it during a batch. */
export interface Profile extends MatchProfile {
  names: string[];
  affiliations: string[];
  domains: string[];
  accounts: string[];
  linked: string[];
  context: string[];
}

function compact<T>(values: ReadonlyArray<T | undefined | null>): T[] {
  return values.filter((value): value is T => value !== undefined && value !== null);
}

export function mentionProfile(mention: EntityMention, context: readonly string[]): Profile {
  return {
    kind: mention.kind,
    names: compact([mention.handle, mention.name]),
    affiliations: compact([mention.affiliation === undefined ? undefined : normaliseName(mention.affiliation)]),
    domains: compact([domainOf(mention.url)]),
    accounts: mention.unique ? [mentionKey(mention)] : [],
    linked: (mention.linked ?? []).map((account) => account.toLowerCase()),
    context: [...context],
  };
}

export function storedProfile(aliases: readonly StoredAliasProfile[], context: readonly string[]): Profile | undefined {
  const first = aliases[0];
  if (first === undefined) return undefined;
  return {
    kind: first.kind,
    names: aliases.flatMap((alias) => compact([alias.handle, alias.name])),
    affiliations: compact(aliases.map((alias) => (alias.affiliation === null ? undefined : normaliseName(alias.affiliation)))),
    domains: compact(aliases.map((alias) => domainOf(alias.url))),
    accounts: compact(aliases.map((alias) => (alias.handleKey === null ? undefined : `${alias.source}:${alias.handleKey}`))),
    linked: aliases.flatMap((alias) => alias.linked),
    context: [...context],
  };
}

/** Most values a profile keeps per feature while a batch grows it. */
const MAX_VALUES = 64;

/** Adds what `joining` is known by to `into` (an alias merged into an entity). */
export function absorb(into: Profile, joining: Profile): void {
  for (const field of ['names', 'affiliations', 'domains', 'accounts', 'linked', 'context'] as const) {
    const values = into[field];
    for (const value of joining[field]) {
      if (values.length >= MAX_VALUES) break;
      if (!values.includes(value)) values.push(value);
    }
  }
}
