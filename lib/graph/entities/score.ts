// The weighted match between a new alias and an existing entity. Each feature is 0–1; the score is
// the weighted sum, capped at 1. The weights and the two cut-offs are the documented policy
// (README "Entities"): at or above MERGE_THRESHOLD the alias is merged automatically (and the
// merge can be undone); from CANDIDATE_FLOOR up to the threshold it goes to the admin review
// queue; below the floor it starts an entity of its own. A name alone (0.5) never merges.
import type { EntityKind } from '../../model/entity.js';
import { nameSimilarity } from './names.js';

export const MATCH_WEIGHTS = {
  /** Best name similarity (Jaro-Winkler on normalised names), counted from NAME_MIN_SIMILARITY. */
  name: 0.5,
  /** The same affiliation on both sides (arXiv authors). */
  affiliation: 0.35,
  /** A web domain both link (a homepage), platforms' own domains excluded. */
  domain: 0.2,
  /** One side's profile links the other's account (a GitHub profile naming its X handle). */
  linked: 0.7,
  /** Shared context: co-authors or repositories named by both sides' signals, |A∩B| / min(|A|,|B|). */
  cooccurrence: 0.3,
} as const;

/** At or above: merged automatically. */
export const MERGE_THRESHOLD = 0.8;
/** At or above (and below the threshold): queued for an admin. */
export const CANDIDATE_FLOOR = 0.45;
/** A name less similar than this counts as no name match at all (so unrelated names add nothing). */
export const NAME_MIN_SIMILARITY = 0.85;

/** What one side of a comparison is known by. Strings are compared as given: callers normalise. */
export interface MatchProfile {
  kind: EntityKind;
  /** Handles and display names. */
  names: readonly string[];
  /** Normalised affiliations. */
  affiliations: readonly string[];
  /** Hosts of the profile's own links (lower case, no `www.`). */
  domains: readonly string[];
  /** Its own accounts, `source:handle` (lower case). */
  accounts: readonly string[];
  /** Accounts its profiles link, `source:handle`. */
  linked: readonly string[];
  /** Keys of what its signals also name (co-authors, repositories). */
  context: readonly string[];
}

export interface MatchEvidence {
  score: number;
  name: { similarity: number; left: string; right: string } | null;
  affiliation: string | null;
  domain: string | null;
  linked: string | null;
  cooccurrence: { share: number; shared: string[] } | null;
}

function firstShared(left: readonly string[], right: readonly string[]): string | null {
  if (left.length === 0 || right.length === 0) return null;
  const set = new Set(right);
  return left.find((value) => set.has(value)) ?? null;
}

/** Most compared pairs of names per side: a merged entity may have many aliases. */
const MAX_NAMES = 12;
/** Most context keys reported as evidence. */
const MAX_SHARED_SHOWN = 5;

function bestName(left: readonly string[], right: readonly string[]): MatchEvidence['name'] {
  let best: MatchEvidence['name'] = null;
  for (const a of left.slice(0, MAX_NAMES)) {
    for (const b of right.slice(0, MAX_NAMES)) {
      const similarity = nameSimilarity(a, b);
      if (best === null || similarity > best.similarity) best = { similarity, left: a, right: b };
      if (similarity === 1) return best;
    }
  }
  return best;
}

function cooccurrence(left: readonly string[], right: readonly string[]): MatchEvidence['cooccurrence'] {
  if (left.length === 0 || right.length === 0) return null;
  const set = new Set(right);
  const shared = [...new Set(left)].filter((key) => set.has(key));
  if (shared.length === 0) return null;
  return { share: Math.min(1, shared.length / Math.min(new Set(left).size, set.size)), shared: shared.slice(0, MAX_SHARED_SHOWN) };
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

/** The weighted match of two profiles; different kinds never match (score 0). */
export function matchScore(left: MatchProfile, right: MatchProfile): MatchEvidence {
  const none: MatchEvidence = { score: 0, name: null, affiliation: null, domain: null, linked: null, cooccurrence: null };
  if (left.kind !== right.kind) return none;
  const name = bestName(left.names, right.names);
  const affiliation = firstShared(left.affiliations, right.affiliations);
  const domain = firstShared(left.domains, right.domains);
  const linked = firstShared(left.linked, right.accounts) ?? firstShared(right.linked, left.accounts);
  const shared = cooccurrence(left.context, right.context);
  const nameFeature = name !== null && name.similarity >= NAME_MIN_SIMILARITY ? name.similarity : 0;
  const sum =
    MATCH_WEIGHTS.name * nameFeature +
    MATCH_WEIGHTS.affiliation * (affiliation === null ? 0 : 1) +
    MATCH_WEIGHTS.domain * (domain === null ? 0 : 1) +
    MATCH_WEIGHTS.linked * (linked === null ? 0 : 1) +
    MATCH_WEIGHTS.cooccurrence * (shared?.share ?? 0);
  return {
    score: round(Math.min(1, sum)),
    name: name === null ? null : { ...name, similarity: round(name.similarity) },
    affiliation,
    domain,
    linked,
    cooccurrence: shared === null ? null : { share: round(shared.share), shared: shared.shared },
  };
}

/** What the score decides: merge (≥ threshold), queue (≥ floor), or a separate entity. */
export function decide(score: number): 'merge' | 'queue' | 'separate' {
  if (score >= MERGE_THRESHOLD) return 'merge';
  if (score >= CANDIDATE_FLOOR) return 'queue';
  return 'separate';
}
