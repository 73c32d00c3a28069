// Emergent topics: keyword clusters among the recent signals no topic has taken. A cluster starts
// from a pair of distinctive words that at least `minMembers` signals share, gathers the words most
// of those signals also share, and takes every signal with two of its words. Greedy, strongest pair
// first, each signal in one cluster at most. Deterministic: the same signals in any order give the
// same clusters (everything is sorted by count, then by text or id), and there is no randomness.
import { centroid, fnv1a, meanPairwiseSimilarity, stem } from './vectors.js';

/** A signal offered to clustering. */
export interface ClusterCandidate {
  /** int8 as a decimal string. */
  id: string;
  /** Its tokens (lib/harvest/topics/vectors.ts `tokenize`). */
  tokens: readonly string[];
  vector: Float32Array;
}

export interface EmergentCluster {
  /** `emergent/<word>-<word>`: the two commonest keywords, in alphabetical order. */
  path: string;
  /** The three commonest keywords. */
  name: string;
  /** Stems, commonest first (ties alphabetical); the pair the cluster grew from among them. */
  keywords: string[];
  /** Members by id, ascending numerically. */
  memberIds: string[];
  /** Normalised mean of the members' vectors. */
  centroid: Float32Array;
}

export interface ClusterOptions {
  /** Fewest signals in a cluster (config MIN_SIGNALS_PER_TOPIC). */
  minMembers: number;
  /** Keywords a cluster keeps at most. Default 6. */
  maxKeywords?: number;
  /** A word joins the pair's keywords when this share of the pair's signals has it. Default 0.6. */
  companionShare?: number;
  /** Distinct words per signal considered for pairs (its most frequent ones). Default 12, so a signal adds at most 66 pairs. */
  termsPerSignal?: number;
  /** Mean cosine between two members below which a cluster is only shared words, not a subject. Default 0.1. */
  minCohesion?: number;
}

/** Shortest word that may name a cluster. */
const MIN_TERM_LENGTH = 3;
/** In a pool of at least POOL_FOR_SHARE_CAP signals, a word in more than this share of them is too common to name a topic. */
const MAX_TERM_SHARE = 0.5;
const POOL_FOR_SHARE_CAP = 20;

/**
 * Words that are in many signals whatever they are about (announcements, paper boilerplate, HN
 * titles), stemmed as the tokens are. They can be in a cluster's signals, never name one.
 */
export const GENERIC_TERMS: ReadonlySet<string> = new Set(
  (
    'new use used uses using show shows showed ask tell release released releases version open source github project ' +
    'paper papers work works way time times year years day days today first best good great better need needs want look ' +
    'looking build building built app apps code via post blog article read thing things people lot part based ' +
    'propose proposed proposes approach approaches method methods result results present presented demonstrate ' +
    'demonstrated achieve achieves achieved performance task tasks framework novel existing problem problems experiment ' +
    'experiments significant significantly improve improved improves improving outperform outperforms state art ' +
    'introduce introduces introduced study studies provide provides support supports large small high low well ' +
    'different several various able available free fast simple easy really still even back going know think'
  )
    .split(' ')
    .map(stem),
);

interface Candidate {
  id: string;
  terms: ReadonlySet<string>;
  vector: Float32Array;
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function countTerms(candidates: readonly Candidate[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const candidate of candidates) for (const term of candidate.terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

/** Each signal's distinct usable words: long enough, not generic, shared by enough signals, not in too many. */
function prepare(signals: readonly ClusterCandidate[], minMembers: number, termsPerSignal: number): Candidate[] {
  const usable = (token: string): boolean => token.length >= MIN_TERM_LENGTH && !GENERIC_TERMS.has(token) && !/^\p{N}/u.test(token);
  const tokenCounts = signals.map((signal) => {
    const counts = new Map<string, number>();
    for (const token of signal.tokens) if (usable(token)) counts.set(token, (counts.get(token) ?? 0) + 1);
    return counts;
  });
  const documentFrequency = new Map<string, number>();
  for (const counts of tokenCounts) for (const term of counts.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const maxFrequency = signals.length >= POOL_FOR_SHARE_CAP ? Math.floor(signals.length * MAX_TERM_SHARE) : signals.length;
  return signals.map((signal, i) => {
    const counts = tokenCounts[i] ?? new Map<string, number>();
    const terms = [...counts.entries()]
      .filter(([term]) => {
        const df = documentFrequency.get(term) ?? 0;
        return df >= minMembers && df <= maxFrequency;
      })
      // Most said in this signal first, then the rarer in the pool (more distinctive), then alphabetical.
      .sort(([a, ca], [b, cb]) => cb - ca || (documentFrequency.get(a) ?? 0) - (documentFrequency.get(b) ?? 0) || compareText(a, b))
      .slice(0, termsPerSignal)
      .map(([term]) => term);
    return { id: signal.id, terms: new Set(terms), vector: signal.vector };
  });
}

/** Word pairs shared by at least `minMembers` signals: most shared first, then alphabetical. */
function sharedPairs(candidates: readonly Candidate[], minMembers: number): Array<[string, string]> {
  const counts = new Map<string, number>();
  for (const candidate of candidates) {
    const terms = [...candidate.terms].sort(compareText);
    for (let i = 0; i < terms.length; i++) {
      for (let j = i + 1; j < terms.length; j++) {
        const key = `${terms[i] ?? ''} ${terms[j] ?? ''}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  }
  return [...counts.entries()]
    .filter(([, count]) => count >= minMembers)
    .sort(([a, ca], [b, cb]) => cb - ca || compareText(a, b))
    .map(([key]) => key.split(' ') as [string, string]);
}

/** A path segment from a stem: ASCII letters, digits and dashes, never empty. */
function slug(term: string): string {
  const ascii = term
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return ascii === '' ? `t${fnv1a(term).toString(36)}` : ascii;
}

/**
 * Clusters of `signals` with at least `minMembers` each, strongest first. Signals in no cluster
 * are simply left out. Paths are unique among the clusters returned (a repeat gets `-2`, `-3`…).
 */
export function findClusters(signals: readonly ClusterCandidate[], options: ClusterOptions): EmergentCluster[] {
  const minMembers = options.minMembers;
  const maxKeywords = options.maxKeywords ?? 6;
  const companionShare = options.companionShare ?? 0.6;
  const minCohesion = options.minCohesion ?? 0.1;
  // Sorted by id first, so the result does not depend on the order the signals came in.
  const ordered = [...signals].sort((a, b) => compareIds(a.id, b.id));
  const candidates = prepare(ordered, minMembers, options.termsPerSignal ?? 12);
  const claimed = new Set<string>();
  const paths = new Set<string>();
  const clusters: EmergentCluster[] = [];

  // Postings: for each word, the candidates that have it, in id order. A pair's signals are an
  // intersection of two lists, so a pool of thousands is not scanned once per pair.
  const postings = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    for (const term of candidate.terms) {
      const list = postings.get(term);
      if (list === undefined) postings.set(term, [candidate]);
      else list.push(candidate);
    }
  }
  const unclaimedWith = (term: string): Candidate[] => (postings.get(term) ?? []).filter((candidate) => !claimed.has(candidate.id));

  for (const [first, second] of sharedPairs(candidates, minMembers)) {
    const seeds = unclaimedWith(first).filter((candidate) => candidate.terms.has(second));
    if (seeds.length < minMembers) continue;

    const companions = [...countTerms(seeds).entries()]
      .filter(([term, count]) => term !== first && term !== second && count >= minMembers && count >= companionShare * seeds.length)
      .sort(([a, ca], [b, cb]) => cb - ca || compareText(a, b))
      .slice(0, maxKeywords - 2)
      .map(([term]) => term);
    const words = [first, second, ...companions];
    // Every unclaimed signal with at least two of the words, in id order.
    const hits = new Map<Candidate, number>();
    for (const word of words) for (const candidate of unclaimedWith(word)) hits.set(candidate, (hits.get(candidate) ?? 0) + 1);
    const members = [...hits.entries()]
      .filter(([, count]) => count >= 2)
      .map(([candidate]) => candidate)
      .sort((a, b) => compareIds(a.id, b.id));
    const vectors = members.map((member) => member.vector);
    if (members.length < minMembers || meanPairwiseSimilarity(vectors) < minCohesion) continue;
    const center = centroid(vectors);

    const inMembers = countTerms(members);
    const keywords = [...words].sort((a, b) => (inMembers.get(b) ?? 0) - (inMembers.get(a) ?? 0) || compareText(a, b));
    const base = `emergent/${[keywords[0] ?? first, keywords[1] ?? second].map(slug).sort(compareText).join('-')}`;
    let path = base;
    for (let n = 2; paths.has(path); n++) path = `${base}-${String(n)}`;
    paths.add(path);
    for (const member of members) claimed.add(member.id);
    clusters.push({
      path,
      name: keywords.slice(0, 3).join(', '),
      keywords,
      memberIds: members.map((member) => member.id),
      centroid: center,
    });
  }
  return clusters;
}
