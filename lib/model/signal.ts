// What a signal is, declared once: the allowed values of its text fields (the same lists as the
// CHECK constraints in infra/migrations) and its fields as data. The `Signal` and `NewSignal`
// types, the repository's column lists, row mapper and upsert, the SQL-built JSON and the API's
// schema and mapper are all derived from SIGNAL_FIELDS (test/unit/lib/model/signal-fields.test.ts
// and test/integration/lib/db/signal-fields.test.ts hold every copy to it).
import type { EntityMention } from './entity.js';
import { fieldList, type EntityOf, type FieldSpecs, type NewEntityOf } from './fields.js';

export const SIGNAL_KINDS = ['post', 'preprint', 'repository', 'release', 'story'] as const;
/** Kinds that are things someone made (as opposed to talk about things): ranked by discovery score. */
export const ARTIFACT_KINDS = ['preprint', 'repository', 'release'] as const;
export const SIGNAL_STATUSES = ['active', 'paused', 'archived'] as const;
export const SIGNAL_SENTIMENTS = ['positive', 'neutral', 'negative', 'mixed'] as const;

export type SignalKind = (typeof SIGNAL_KINDS)[number];
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];
export type SignalStatus = (typeof SIGNAL_STATUSES)[number];
export type SignalSentiment = (typeof SIGNAL_SENTIMENTS)[number];

/**
 * A signal's fields in column order. `write` says who sets a field on insert, `rewrite` what a
 * re-harvest of a known item does to it: what the source reports is replaced, an enrichment that
 * is null this time (not computed on this run) keeps the earlier value, and what we decided about
 * the signal (status, notified_at, curated tags) or when we first saw it (fetched_at) is kept.
 */
export const SIGNAL_FIELDS = {
  /** int8 as a decimal string: JSON numbers and JS numbers lose precision past 2^53. */
  id: { type: 'id', write: 'never', rewrite: 'keep' },
  source: { type: 'text', write: 'always', rewrite: 'keep' },
  /** The item's id at its source (HN objectID, GitHub repo id, arXiv id without version, …); unique together with `source`. */
  sourceId: { type: 'text', write: 'always', rewrite: 'keep' },
  kind: { type: 'text', values: SIGNAL_KINDS, write: 'always', rewrite: 'replace' },
  url: { type: 'text', write: 'always', rewrite: 'replace' },
  title: { type: 'text', write: 'always', rewrite: 'replace' },
  /** Body or abstract, plain text (HTML stripped); '' when the source has none. */
  text: { type: 'text', write: 'always', rewrite: 'replace' },
  author: { type: 'text', nullable: true, write: 'always', rewrite: 'fill' },
  publishedAt: { type: 'timestamp', write: 'always', rewrite: 'replace' },
  /** When the signal was first harvested (a later re-harvest keeps it); defaults to now(). */
  fetchedAt: { type: 'timestamp', write: 'optional', rewrite: 'keep' },
  /**
   * The source's own numbers, kept per source: HN `points`/`comments`, GitHub `stars`/`forks`/
   * `watchers`/`open_issues`, Reddit `score`/`comments`/`upvote_ratio`, X `likes`/`reposts`/
   * `replies`/`quotes`. Scoring reads them through lib/harvest/score.
   */
  engagement: { type: 'counts', write: 'always', rewrite: 'replace' },
  category: { type: 'text', nullable: true, write: 'always', rewrite: 'fill' },
  sentiment: { type: 'text', values: SIGNAL_SENTIMENTS, nullable: true, write: 'always', rewrite: 'fill' },
  /** 0–5. */
  urgency: { type: 'small-integer', nullable: true, write: 'always', rewrite: 'fill' },
  /** Labels the source gives (arXiv categories, GitHub topics, the subreddit), lower case; curated later. */
  tags: { type: 'text[]', write: 'always', rewrite: 'keep' },
  /** 0–100 (posts, stories): written as of the harvest, read as of the read (the feed's score, decayed). */
  salience: { type: 'number', nullable: true, write: 'always', rewrite: 'fill' },
  /** 0–100, artifacts only: written as of the harvest, read as of the read (halving weekly). */
  discoveryScore: { type: 'number', nullable: true, write: 'always', rewrite: 'fill' },
  /** The feed's ranking number, 0–100, as of the read: 2^(rank − now/1 day) capped at 100 (lib/model/rank.ts). */
  score: { type: 'number', write: 'never', rewrite: 'keep' },
  scoreDetails: { type: 'object', write: 'always', rewrite: 'replace' },
  /** Defaults to 'active'; only written when the row is new. */
  status: { type: 'text', values: SIGNAL_STATUSES, write: 'optional', rewrite: 'keep' },
  notifiedAt: { type: 'timestamp', nullable: true, write: 'never', rewrite: 'keep' },
  updatedAt: { type: 'timestamp', write: 'never', rewrite: 'now' },
  /**
   * The near-duplicate group (lib/graph/duplicates): the id of its earliest stored member, shared by
   * every report of the same story on any source; null when no other item matched.
   */
  duplicateGroup: { type: 'id', nullable: true, write: 'never', rewrite: 'keep' },
  /** Distinct sources reporting the story (the duplicate group's sources; 1 alone). */
  mentionCount: { type: 'small-integer', write: 'never', rewrite: 'keep' },
} as const satisfies FieldSpecs;

export type Signal = EntityOf<typeof SIGNAL_FIELDS>;

/**
 * The decay keys a stored signal is paged and served by (lib/model/rank.ts): columns of their own,
 * not fields (never read as themselves). Scoring sets them; without them the upsert takes the
 * discovery score, else the salience, as the score at the time of storing.
 */
export interface SignalRanks {
  rank?: number;
  discoveryRank?: number | null;
}

/**
 * The people and organisations the source named (every arXiv author with an affiliation, a GitHub
 * owner's type, an X display name): a column of its own (`entity_mentions`), not a field — written
 * by the harvest, read only by the graph-build job's entity step (lib/graph/entities/), never served.
 * Absent or null: the job derives the mentions from `author` and `url`.
 */
export interface SignalEntityMentions {
  entities?: readonly EntityMention[] | null;
}

/** A harvested signal to store; the database fills in id, score, notified_at, updated_at (and fetched_at, status if absent). */
export type NewSignal = NewEntityOf<typeof SIGNAL_FIELDS> & SignalRanks & SignalEntityMentions;

/** SIGNAL_FIELDS as a list, in column order. */
export const SIGNAL_FIELD_LIST = fieldList(SIGNAL_FIELDS);
