// How much of a find an artifact (preprint, repository, release) is (0–100): gaining attention
// fast and not yet widely known, weighted to sum to 1, times its novelty, which halves every week.
// Novelty is a factor (discovery/2; it was a third term of the sum in discovery/1) so the score is
// base·0.5^(age/7 days) and decays at read time through its rank (rank.ts): a score frozen at first
// sight no longer keeps a months-old paper at its first-day value. A source that reports no
// popularity (arXiv) is of unknown obscurity, 50, not "perfectly obscure" 100 (which put every
// preprint at ~62–65, above nearly every post). Pure; the components go to score_details.
import type { SignalKind } from '../../model/signal.js';
import type { SourceName } from '../../model/sources.js';
import { round3 } from './round.js';

/** The ancestor's proportions of emergence and obscurity (0.30 : 0.20) made to sum to 1. */
export const DISCOVERY_WEIGHTS = { emergence: 0.6, obscurity: 0.4 } as const;
/** Novelty halves every week since publication. */
export const NOVELTY_HALF_LIFE_DAYS = 7;
/** The engagement field that measures an artifact's popularity, by source; arXiv reports none. */
export const ATTENTION_FIELDS = {
  github: 'stars',
  hackernews: 'points',
  reddit: 'score',
  x: 'likes',
  arxiv: undefined,
} as const satisfies Record<SourceName, string | undefined>;
/** Attention added by each mention of the artifact on another source (a post linking to it). */
export const MENTION_ATTENTION = 25;
/** Attention added by each arXiv category a preprint is cross-listed in beyond its primary one. */
export const CROSS_LIST_ATTENTION = 5;
/** The first attention says nothing about emergence: the author, colleagues, bots starring. */
export const ATTENTION_FLOOR = 10;
/** Velocity is measured over at least this long (1 hour), so a minutes-old artifact does not divide by ~0. */
export const MIN_AGE_DAYS = 1 / 24;
/** Velocity (attention per day above the floor) at which the rate term of emergence is 50. */
export const VELOCITY_HALF = 25;
/** Attention at which obscurity is 50 (1,000 stars). */
export const OBSCURITY_HALF = 1000;
/** Obscurity of an artifact whose source reports no popularity (arXiv): unknown, the middle. */
export const OBSCURITY_UNKNOWN = 50;
const DAY_MS = 86_400_000;

export interface DiscoveryInput {
  /** Picks the attention field (ATTENTION_FIELDS). */
  source: string;
  kind: SignalKind;
  engagement: Readonly<Record<string, number>>;
  publishedAt: Date;
  /** For preprints, the arXiv categories: primary first, the rest are cross-listings. */
  tags: readonly string[];
  /** Other sources' items linking to this artifact (e.g. an HN story about a repository). Default 0. */
  mentions?: number;
}

export interface DiscoveryComponents {
  /** 0–100: 100·0.5^(ageDays / 7). */
  novelty: number;
  /** 0–100: 100·(1 − 0.5^(velocity / 25)). */
  emergence: number;
  /** 0–100: 100·1000 / (1000 + attention); 50 when the source reports no popularity. */
  obscurity: number;
  /** 0–100: 0.6·emergence + 0.4·obscurity, the score at age 0 (what decays at read time). */
  base: number;
  /** Days since publication (0 for a date in the future). */
  ageDays: number;
  /** popularity + 25·mentions + 5·cross-listings. */
  attention: number;
  /** max(0, attention − 10) / max(ageDays, 1/24), per day. */
  velocity: number;
}

export interface DiscoveryResult {
  /** 0–100, three decimals. */
  score: number;
  components: DiscoveryComponents;
}

function nonNegative(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;
}

function reportsPopularity(source: string): boolean {
  return Object.hasOwn(ATTENTION_FIELDS, source) && ATTENTION_FIELDS[source as SourceName] !== undefined;
}

/** popularity (the source's attention field) + 25·mentions + 5·cross-listings (preprints). */
export function attentionOf(input: Pick<DiscoveryInput, 'source' | 'kind' | 'engagement' | 'tags' | 'mentions'>): number {
  const field: string | undefined = Object.hasOwn(ATTENTION_FIELDS, input.source) ? ATTENTION_FIELDS[input.source as SourceName] : undefined;
  const popularity = field === undefined ? 0 : nonNegative(input.engagement[field]);
  const crossListings = input.kind === 'preprint' ? Math.max(0, input.tags.length - 1) : 0;
  return popularity + MENTION_ATTENTION * nonNegative(input.mentions) + CROSS_LIST_ATTENTION * crossListings;
}

/**
 * score = (0.6·emergence + 0.4·obscurity)·novelty/100, each component 0–100 (see
 * DiscoveryComponents): ~100 for an artifact published this hour with a few dozen stars already,
 * near 0 for a years-old repository everyone knows.
 */
export function discoveryScore(input: DiscoveryInput, nowMs: number): DiscoveryResult {
  const ageDays = Math.max(0, (nowMs - input.publishedAt.getTime()) / DAY_MS);
  const attention = attentionOf(input);
  const velocity = Math.max(0, attention - ATTENTION_FLOOR) / Math.max(ageDays, MIN_AGE_DAYS);
  const novelty = 100 * 0.5 ** (ageDays / NOVELTY_HALF_LIFE_DAYS);
  const emergence = 100 * (1 - 0.5 ** (velocity / VELOCITY_HALF));
  const obscurity = reportsPopularity(input.source) ? (100 * OBSCURITY_HALF) / (OBSCURITY_HALF + attention) : OBSCURITY_UNKNOWN;
  const base = DISCOVERY_WEIGHTS.emergence * emergence + DISCOVERY_WEIGHTS.obscurity * obscurity;
  const score = Math.min(100, Math.max(0, (base * novelty) / 100));
  return {
    score: Number.isFinite(score) ? round3(score) : 0,
    components: {
      novelty: round3(novelty),
      emergence: round3(emergence),
      obscurity: round3(obscurity),
      base: round3(base),
      ageDays: round3(ageDays),
      attention: round3(attention),
      velocity: round3(velocity),
    },
  };
}
