// Scoring, the pipeline's step after classification: posts and stories get a salience, artifacts a
// discovery score, and every signal the terms that produced it (score_details), so a surprising
// ranking can be explained from the row alone. Also the one mapping from a classified, scored item
// to the row the repository stores.
import type { NewSignal } from '../../model/signal.js';
import { isArtifactKind } from '../classify/categories.js';
import { MAX_URGENCY, type Classification, type HarvestedItem } from '../types.js';
import { attentionOf, discoveryScore, type DiscoveryComponents } from './discovery.js';
import { DISCOVERY_HALF_LIFE_DAYS, FEED_HALF_LIFE_DAYS, rankKey } from '../../model/rank.js';
import { round3 } from './round.js';
import { BASE_POINTS, ENGAGEMENT_SCALE, salience, type SalienceComponents } from './salience.js';

export * from './discovery.js';
export * from '../../model/rank.js';
export * from './salience.js';

/** Formula identifiers in score_details: bumped when a formula changes, so old rows can be told apart. */
export const SALIENCE_FORMULA = 'salience/1';
export const DISCOVERY_FORMULA = 'discovery/2';

/** What score_details holds. A type (not an interface) so it is a `Record<string, unknown>`. */
export type ScoreDetails =
  | { formula: typeof SALIENCE_FORMULA; by: Classification['by']; components: SalienceComponents }
  | {
      formula: typeof DISCOVERY_FORMULA;
      by: Classification['by'];
      components: DiscoveryComponents;
      feedBase: number;
      /** Other sources' items in the same harvest run linking to the artifact (the dedupe's). */
      linkMentions: number;
      /** Other sources in its near-duplicate group (mention_count − 1), as of this scoring. */
      groupMentions: number;
    };

/** The NewSignal fields scoring fills: exactly one of salience and discoveryScore is set. */
export interface ScoreFields {
  salience: number | null;
  discoveryScore: number | null;
  scoreDetails: ScoreDetails;
  /** The feed's decay key (rank.ts): from the undecayed salience, or an artifact's feedBase. */
  rank: number;
  /** The discovery score's decay key; artifacts only. */
  discoveryRank: number | null;
}

/**
 * An artifact's base on the feed's scale: its attention counted like a post's engagement
 * (1 + 10·ln(1 + attention): a star, an HN point, a like are one each, a mention 25), so in
 * sort=score a paper nobody has noticed sits with a post nobody has answered, not above every post.
 */
export function artifactFeedBase(attention: number): number {
  return BASE_POINTS + ENGAGEMENT_SCALE * Math.log1p(Math.max(0, attention));
}

/**
 * Cross-source corroboration of an artifact, adding to its attention (README Scoring); ignored for
 * posts. Kept apart in score_details so the graph-build job, which groups near-duplicates after the
 * harvest stored them, can rescore an artifact with its new group and the links it had.
 */
export interface ScoreContext {
  /** Items of other sources in the same run linking to this artifact (found by the URL dedupe). Default 0. */
  linkMentions?: number;
  /** Other sources in its near-duplicate group (mention_count − 1). Default 0. */
  groupMentions?: number;
}

/** What an artifact's discovery score reads of it: a HarvestedItem has it, and so does a stored signal. */
export type ArtifactInput = Pick<HarvestedItem, 'source' | 'kind' | 'engagement' | 'publishedAt' | 'tags'>;

/** An artifact's discovery score, its terms and its two rank keys, as of `nowMs`. Pure. */
export function scoreArtifact(item: ArtifactInput, by: Classification['by'], nowMs: number, context: ScoreContext = {}): ScoreFields {
  const linkMentions = Math.max(0, context.linkMentions ?? 0);
  const groupMentions = Math.max(0, context.groupMentions ?? 0);
  const input = { source: item.source, kind: item.kind, engagement: item.engagement, publishedAt: item.publishedAt, tags: item.tags, mentions: linkMentions + groupMentions };
  const { score, components } = discoveryScore(input, nowMs);
  const feedBase = round3(artifactFeedBase(attentionOf(input)));
  return {
    salience: null,
    discoveryScore: score,
    scoreDetails: { formula: DISCOVERY_FORMULA, by, components, feedBase, linkMentions, groupMentions },
    rank: rankKey(feedBase, item.publishedAt, nowMs, FEED_HALF_LIFE_DAYS),
    discoveryRank: rankKey(components.base, item.publishedAt, nowMs, DISCOVERY_HALF_LIFE_DAYS),
  };
}

/** Scores one classified item as of `nowMs` (the run's clock). Pure. */
export function scoreItem(item: HarvestedItem, classification: Classification, nowMs: number, context: ScoreContext = {}): ScoreFields {
  if (isArtifactKind(item.kind)) return scoreArtifact(item, classification.by, nowMs, context);
  const { score, components } = salience(
    {
      source: item.source,
      engagement: item.engagement,
      publishedAt: item.publishedAt,
      category: classification.category,
      sentiment: classification.sentiment,
      urgency: classification.urgency,
    },
    nowMs,
  );
  return {
    salience: score,
    discoveryScore: null,
    scoreDetails: { formula: SALIENCE_FORMULA, by: classification.by, components },
    rank: rankKey(components.undecayed, item.publishedAt, nowMs, FEED_HALF_LIFE_DAYS),
    discoveryRank: null,
  };
}

/** The row to store for a classified and scored item (fetched_at and status: the database's defaults). */
export function toNewSignal(item: HarvestedItem, classification: Classification, score: ScoreFields): NewSignal {
  // What the source reported, as it is (a HarvestedItem is the source's part of a NewSignal), its
  // entity mentions included: stored for the graph-build job's entity step. Object.assign, not
  // `{ ...item, category, … }`: a spread followed by further properties makes an object V8 keeps
  // in dictionary mode, ~10 µs each (measured: ×10 slower than assign on 20,000 items).
  return Object.assign({}, item, {
    category: classification.category,
    sentiment: classification.sentiment,
    urgency: Math.min(MAX_URGENCY, Math.max(0, Math.round(classification.urgency))),
    salience: score.salience,
    discoveryScore: score.discoveryScore,
    scoreDetails: score.scoreDetails,
    rank: score.rank,
    discoveryRank: score.discoveryRank,
  });
}
