// The shapes the signals repository filters, sorts, pages and reports with. What a signal is lives
// in lib/model/signal.ts.
import type { Signal, SignalKind, SignalStatus } from '../model/signal.js';

export const SIGNAL_SORTS = ['score', 'published_at', 'fetched_at'] as const;
export const SORT_ORDERS = ['asc', 'desc'] as const;

export type SignalSort = (typeof SIGNAL_SORTS)[number];
export type SortOrder = (typeof SORT_ORDERS)[number];

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
  /** Signals assigned to any of these topic paths or their sub-topics; an empty list matches nothing. */
  topics?: readonly string[];
  /** Leaves out signals whose title or text matches any of these words or phrases (English stemming). */
  excludeTerms?: readonly string[];
  /** Leaves out signals from these sources. */
  excludeSources?: readonly string[];
  /** Leaves out signals whose URL host is one of these lower-case domains or a sub-domain of one. */
  excludeDomains?: readonly string[];
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
  /** The instant scores are served as of; default the database's now(). */
  asOf?: Date;
}

export interface ListDiscoveriesOptions {
  /** Inclusive, on discovery_score. */
  minScore?: number;
  /** Page size, 1–1000. */
  limit: number;
  after?: SignalCursor;
  /** The instant scores are served as of; default the database's now(). */
  asOf?: Date;
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
  /** Continuous percentiles of the served `score` over every signal; null when there are none. */
  score: { p50: number | null; p90: number | null; p99: number | null };
}

export interface UpsertResult {
  inserted: number;
  updated: number;
}
