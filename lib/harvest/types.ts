// The shapes the harvest pipeline passes between its stages: what a source adapter returns, what
// classification and scoring add, and what a run reports. fetch → normalise → dedupe → classify →
// score → upsert → notify (lib/harvest/pipeline.ts).
import type { NewSignal, SignalSentiment } from '../model/signal.js';
import type { SourceName } from '../model/sources.js';
import type { JobContext } from '../model/job-context.js';
import type { EntityMention } from '../model/entity.js';

/**
 * One item as its source reported it: the signal fields a source knows (lib/model/signal.ts
 * documents each), before classification and scoring add the rest.
 */
export type HarvestedItem = Pick<NewSignal, 'sourceId' | 'kind' | 'url' | 'title' | 'text' | 'author' | 'publishedAt' | 'engagement' | 'tags'> & {
  source: SourceName;
  /**
   * The people and organisations the source names, when it knows more than the display `author`
   * (every arXiv author with an affiliation, a GitHub owner's type, an X display name); used by
   * entity resolution in the graph-build job, stored on the signal (`entity_mentions`) for it. Absent: derived from `author` and `url`.
   */
  entities?: readonly EntityMention[];
};

/** What one adapter's run needs from the pipeline. */
export interface FetchContext {
  /**
   * The discover run, as runJob created it (passed down as is): every request gets its `signal`, no
   * new page starts once `shouldStop()`, and a retry wait (backoff, `Retry-After`) that would not
   * end within `remainingMs()` gives up at once instead of sleeping into the abort.
   */
  run: Pick<JobContext, 'signal' | 'shouldStop' | 'remainingMs'>;
  /** The cursor each query stored on the previous run (absent on the first run). */
  cursors: ReadonlyMap<string, string>;
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
