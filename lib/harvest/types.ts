// The shapes the harvest pipeline passes between its stages: what a source adapter returns, what
// classification and scoring add, and what a run reports. fetch → normalise → dedupe → classify →
// score → upsert → notify (lib/harvest/pipeline.ts).
import type { SOURCE_NAMES } from '../config.js';
import type { SignalKind, SignalSentiment } from '../db/signal-model.js';

export type SourceName = (typeof SOURCE_NAMES)[number];

/** One item as its source reported it, mapped to the signals shape (before classification). */
export interface HarvestedItem {
  source: SourceName;
  /** The item's id at its source (HN objectID, GitHub repo id, arXiv id without version, …). */
  sourceId: string;
  kind: SignalKind;
  url: string;
  title: string;
  /** Body or abstract, plain text (HTML stripped); '' when the source has none. */
  text: string;
  author: string | null;
  publishedAt: Date;
  /**
   * The source's own numbers, kept per source: HN `points`/`comments`, GitHub `stars`/`forks`/
   * `watchers`/`open_issues`, Reddit `score`/`comments`/`upvote_ratio`, X `likes`/`reposts`/
   * `replies`/`quotes`. Scoring reads them through lib/harvest/score.
   */
  engagement: Record<string, number>;
  /** Labels the source gives (arXiv categories, GitHub topics, the subreddit), lower case. */
  tags: string[];
}

/** What one adapter's run needs from the pipeline. */
export interface FetchContext {
  /** The cursor each query stored on the previous run (absent on the first run). */
  cursors: ReadonlyMap<string, string>;
  /** Aborted when the job's time budget runs out; every request is passed it. */
  signal: AbortSignal;
  /** True once no new page should be started (the job keeps what it already has). */
  shouldStop(): boolean;
  /**
   * Time left of the job's budget, ms. A retry wait (backoff, `Retry-After`) that would not end
   * within it gives up at once instead of sleeping into the abort. Default: unbounded (the wait
   * still ends when `signal` aborts).
   */
  remainingMs?: () => number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Clock, ms. Default `Date.now`. */
  now?: () => number;
}

/** How one query of one source went. */
export interface QueryOutcome {
  query: string;
  items: number;
  pages: number;
  /** Set when the query failed after its retries; the other queries and sources go on. */
  error?: string;
}

export interface SourceResult {
  items: HarvestedItem[];
  /** The cursor to store for each query that made progress (newest item seen). */
  cursors: Map<string, string>;
  queries: QueryOutcome[];
  /** HTTP requests made, retries included, and how many of them were retries. */
  requests: number;
  retries: number;
  /** True when shouldStop() cut the run short: the cursor lets the next run continue. */
  truncated: boolean;
}

export interface SourceAdapter {
  readonly name: SourceName;
  /** False when the source is not configured (X without a bearer token): skipped, not failed. */
  readonly enabled: boolean;
  fetch(context: FetchContext): Promise<SourceResult>;
}

/** Post categories (the ancestor's) and artifact categories. */
export const POST_CATEGORIES = ['outage', 'security', 'bug', 'question', 'praise', 'other'] as const;
export const ARTIFACT_CATEGORIES = [
  'preprint',
  'breakthrough',
  'lab_milestone',
  'open_source_release',
  'funding',
  'conference',
  'other',
] as const;
export type PostCategory = (typeof POST_CATEGORIES)[number];
export type ArtifactCategory = (typeof ARTIFACT_CATEGORIES)[number];

/** The top of the urgency scale (0 = no action needed, 5 = act now), shared by classifiers and scoring. */
export const MAX_URGENCY = 5;

/** What a classifier decides about one item. */
export interface Classification {
  category: PostCategory | ArtifactCategory;
  sentiment: SignalSentiment;
  /** 0–MAX_URGENCY. */
  urgency: number;
  /** `keyword` or `llm`: which classifier decided (kept in score_details). */
  by: 'keyword' | 'llm';
}
