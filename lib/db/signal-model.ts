// What a signal is, as the rest of the code sees it: the allowed values of its text columns (the
// same lists as the CHECK constraints in infra/migrations) and the shapes the repository reads,
// writes and pages with.

export const SIGNAL_KINDS = ['post', 'preprint', 'repository', 'release', 'story'] as const;
/** Kinds that are things someone made (as opposed to talk about things): ranked by discovery score. */
export const ARTIFACT_KINDS = ['preprint', 'repository', 'release'] as const;
export const SIGNAL_STATUSES = ['active', 'paused', 'archived'] as const;
export const SIGNAL_SENTIMENTS = ['positive', 'neutral', 'negative', 'mixed'] as const;
export const SIGNAL_SORTS = ['score', 'published_at', 'fetched_at'] as const;
export const SORT_ORDERS = ['asc', 'desc'] as const;

export type SignalKind = (typeof SIGNAL_KINDS)[number];
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];
export type SignalStatus = (typeof SIGNAL_STATUSES)[number];
export type SignalSentiment = (typeof SIGNAL_SENTIMENTS)[number];
export type SignalSort = (typeof SIGNAL_SORTS)[number];
export type SortOrder = (typeof SORT_ORDERS)[number];

export interface Signal {
  /** int8 as a decimal string: JSON numbers and JS numbers lose precision past 2^53. */
  id: string;
  source: string;
  /** The item's id at its source; unique together with `source`. */
  sourceId: string;
  kind: SignalKind;
  url: string;
  title: string;
  text: string;
  author: string | null;
  publishedAt: Date;
  /** When the signal was first harvested (a later re-harvest keeps it). */
  fetchedAt: Date;
  engagement: Record<string, number>;
  category: string | null;
  sentiment: SignalSentiment | null;
  /** 0–5. */
  urgency: number | null;
  tags: string[];
  /** 0–100. */
  salience: number | null;
  /** 0–100, artifacts only. */
  discoveryScore: number | null;
  /** Computed by Postgres: discovery score, else salience, else 0. */
  score: number;
  scoreDetails: Record<string, unknown>;
  status: SignalStatus;
  notifiedAt: Date | null;
  updatedAt: Date;
}

/** A harvested signal to store; the database fills in id, score, status, notified_at, updated_at. */
export type NewSignal = Omit<Signal, 'id' | 'fetchedAt' | 'score' | 'status' | 'notifiedAt' | 'updatedAt'> & {
  /** Defaults to now(). */
  fetchedAt?: Date;
  /** Defaults to 'active'; only used when the row is new. */
  status?: SignalStatus;
};

/** Every given field narrows the result (AND); an omitted field does not filter. */
export interface SignalFilter {
  source?: string;
  kind?: SignalKind;
  /** Any of these kinds; an empty list matches nothing. */
  kinds?: readonly SignalKind[];
  category?: string;
  status?: SignalStatus;
  /** Inclusive. */
  minScore?: number;
  /** On published_at, inclusive. */
  since?: Date;
  /** On published_at, exclusive, so consecutive windows neither overlap nor leave gaps. */
  until?: Date;
  /** Full-text search in web-search syntax (`"exact phrase" -word or other`), English stemming; blank is ignored. */
  q?: string;
  /** Signals carrying all of these tags; an empty list matches everything. */
  tags?: readonly string[];
}

/** Where the previous page stopped: the sort value and id of its last row. */
export interface SignalCursor {
  /** The score (a number), or for date sorts an ISO timestamp in UTC with microseconds. */
  value: number | string;
  id: string;
}

export interface ListSignalsOptions extends SignalFilter {
  sort: SignalSort;
  order: SortOrder;
  /** Page size, 1–1000. */
  limit: number;
  /** The `next` of the previous page. */
  after?: SignalCursor;
}

export interface ListDiscoveriesOptions {
  /** Inclusive, on discovery_score. */
  minScore?: number;
  /** Page size, 1–1000. */
  limit: number;
  after?: SignalCursor;
}

/** A page of `T`: Signals, or (the API's list endpoints) each signal's public JSON as text. */
export interface SignalPage<T = Signal> {
  items: T[];
  /** The cursor of the next page; undefined on the last one. */
  next: SignalCursor | undefined;
}

export interface SignalPatch {
  status?: SignalStatus;
  tags?: string[];
}

export interface SignalStats {
  total: number;
  bySource: Record<string, number>;
  /** A signal without a category counts as 'unclassified'. */
  byCategory: Record<string, number>;
  byStatus: Record<string, number>;
  /** Continuous percentiles of `score` over every signal; null when there are none. */
  score: { p50: number | null; p90: number | null; p99: number | null };
}

export interface UpsertResult {
  inserted: number;
  updated: number;
}
