// The deterministic classifier: weighted keyword cues (keyword-cues.ts) on an item's title and
// text decide its category, sentiment and urgency. It is the default and the fallback of the LLM
// classifier, so it is pure, never fails and is fast: the cue tables are compiled once at module
// load, and an item costs three table scans of its title and text (about 25 µs for a 1 KB abstract).
import type { SignalKind, SignalSentiment } from '../../model/signal.js';
import { MAX_URGENCY, type ArtifactCategory, type Classification, type HarvestedItem, type PostCategory } from '../types.js';
import { isArtifactKind } from './categories.js';
import { ARTIFACT_CATEGORY_CUES, ARTIFACT_URGENCY_CUES, POST_CATEGORY_CUES, POST_URGENCY_CUES, SENTIMENT_CUES } from './keyword-cues.js';
import { compileLexicon, strongest } from './lexicon.js';

/** What the keyword classifier reads of an item. */
export type KeywordInput = Pick<HarvestedItem, 'kind' | 'title' | 'text'>;

/** A cue found in the title counts this many times its weight: titles say what an item is about. */
export const TITLE_WEIGHT = 2;
/** A post needs this score for a category other than `other`: one clear cue, or a hint in the title. */
export const POST_MIN_SCORE = 2;
/** A title ending in `?` counts as a question cue of this weight. */
export const QUESTION_MARK_WEIGHT = 2;
/**
 * An artifact's own category (by kind) starts with this score, so the kind decides unless the text
 * says otherwise: a 3-cue in the text or a 2-cue in the title overrides it, a weaker one does not.
 * Not an integer, so it never ties with a sum of cue weights.
 */
export const KIND_PRIOR = 2.5;
/** Each artifact kind's category when no stronger cue is found. */
export const KIND_CATEGORY = {
  preprint: 'preprint',
  repository: 'open_source_release',
  release: 'open_source_release',
} as const satisfies Record<'preprint' | 'repository' | 'release', ArtifactCategory>;
/** A post's urgency before urgency cues, by category (0 = no action needed, 5 = act now). */
export const URGENCY_BASE = {
  outage: 3,
  security: 3,
  bug: 2,
  question: 1,
  praise: 0,
  other: 0,
} as const satisfies Record<PostCategory, number>;
export { MAX_URGENCY };
/** Both sentiments at least this strong, the weaker at least MIXED_RATIO of the stronger: `mixed`. */
export const MIXED_MIN = 2;
export const MIXED_RATIO = 0.5;

const postCategories = compileLexicon(POST_CATEGORY_CUES, TITLE_WEIGHT);
const artifactCategories = compileLexicon(ARTIFACT_CATEGORY_CUES, TITLE_WEIGHT);
const sentiments = compileLexicon(SENTIMENT_CUES, TITLE_WEIGHT);
const postUrgency = compileLexicon(POST_URGENCY_CUES, TITLE_WEIGHT);
const artifactUrgency = compileLexicon(ARTIFACT_URGENCY_CUES, TITLE_WEIGHT);

/** Lower case, typographic apostrophes made plain (`doesn’t` → `doesn't`). */
function normalise(value: string): string {
  return value.toLowerCase().replace(/[\u2018\u2019\u02bc]/g, "'");
}

function sentimentOf(positive: number, negative: number): SignalSentiment {
  const weaker = Math.min(positive, negative);
  const stronger = Math.max(positive, negative);
  if (weaker >= MIXED_MIN && weaker >= MIXED_RATIO * stronger) return 'mixed';
  if (positive > negative) return 'positive';
  if (negative > positive) return 'negative';
  return 'neutral';
}

function urgencyOf(base: number, cues: number): number {
  return Math.min(MAX_URGENCY, Math.round(base + cues));
}

function classifyPost(title: string, text: string): Classification {
  const scores = postCategories.score(title, text);
  if (title.trimEnd().endsWith('?')) scores.question += QUESTION_MARK_WEIGHT;
  const category: PostCategory = strongest(postCategories.labels, scores, POST_MIN_SCORE) ?? 'other';
  const { positive, negative } = sentiments.score(title, text);
  const urgency = urgencyOf(URGENCY_BASE[category], postUrgency.score(title, text).urgent);
  return { category, sentiment: sentimentOf(positive, negative), urgency, by: 'keyword' };
}

function classifyArtifact(kind: keyof typeof KIND_CATEGORY, title: string, text: string): Classification {
  const scores = artifactCategories.score(title, text);
  scores[KIND_CATEGORY[kind]] += KIND_PRIOR;
  // The prior makes the kind's own category reach the minimum, so `other` is left to the LLM.
  const category: ArtifactCategory = strongest(artifactCategories.labels, scores, KIND_PRIOR) ?? 'other';
  const urgency = urgencyOf(0, artifactUrgency.score(title, text).urgent);
  return { category, sentiment: 'neutral', urgency, by: 'keyword' };
}

/** Classifies one item from its words alone. Pure and deterministic. */
export function classifyByKeywords(item: KeywordInput): Classification {
  const title = normalise(item.title);
  const text = normalise(item.text);
  const kind: SignalKind = item.kind;
  return isArtifactKind(kind) ? classifyArtifact(kind, title, text) : classifyPost(title, text);
}
