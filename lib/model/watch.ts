// What a watch is: a saved query owned by an API key, with a feed token. The filter keeps the
// API's own field names (those of GET /v1/signals plus the mute filters), so what a client sent is
// what it reads back; lib/delivery/watch-filter.ts turns it into the signals query's filter.
import type { SignalKind, SignalStatus } from './signal.js';

export interface WatchFilter {
  /** As GET /v1/signals: one source, kind, category or status; all given fields must hold (AND). */
  source?: string;
  kind?: SignalKind;
  category?: string;
  status?: SignalStatus;
  /** Inclusive, 0–100. */
  min_score?: number;
  /** Full-text search, web-search syntax, as GET /v1/signals `q`. */
  q?: string;
  /** Signals carrying all of these tags. */
  tag?: string[];
  /** Any of these kinds. */
  kinds?: SignalKind[];
  /** Signals assigned to any of these topics (by path; a path also matches its sub-topics). */
  topics?: string[];
  /** Mute: signals whose title or text matches any of these words or phrases are left out. */
  exclude_terms?: string[];
  /** Mute: signals from these sources are left out. */
  exclude_sources?: string[];
  /** Mute: signals whose URL's host is one of these domains or under one are left out. */
  exclude_domains?: string[];
}

export interface Watch {
  /** int8 as a decimal string, like signal ids. */
  id: string;
  /** The owning API key's id. */
  ownerKeyId: string;
  name: string;
  filter: WatchFilter;
  /** First characters of the feed token, for listings; the token itself is never stored. */
  feedTokenPrefix: string;
  createdAt: Date;
  updatedAt: Date;
}
