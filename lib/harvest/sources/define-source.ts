// What every adapter's run shares, so an adapter file holds only what is its own (the URL of a
// page, how an item maps, how its cursors compare): the run's HTTP client, built from the common
// options and the run's FetchContext; the query loop over its queries (./run-queries.ts); and a
// disabled adapter's empty result.
import type { FetchContext, SourceAdapter, SourceResult } from '../types.js';
import type { SourceName } from '../../model/sources.js';
import type { SourceHttp, SourceHttpOptions } from './http.js';
import { DEFAULT_MAX_PAGES, runHttp, type CommonSourceOptions } from './options.js';
import { runQueries, type QueryLoop } from './run-queries.js';

/** What one run of a source sets up before its first request (an OAuth token, a rate-limit budget). */
export interface RunSetup extends Pick<SourceHttpOptions, 'onResponse'> {
  /** Headers of this run's requests, over the definition's (Authorization with a fresh token). */
  headers?: Readonly<Record<string, string>>;
  /** Awaited before each request: waits out (or refuses) a spent rate-limit budget. */
  beforeRequest?: () => Promise<void>;
}

export interface SourceDefinition<State> extends Pick<QueryLoop<State>, 'queries' | 'compare' | 'isCursor' | 'lagBehind'> {
  /** Sets up one run (may fail the run: a refused token). Default: nothing to set up. */
  prepare?(context: FetchContext): Promise<RunSetup>;
  name: SourceName;
  /** False when the source is not configured (X without a bearer token): skipped, not failed. Default true. */
  enabled?: boolean;
  /** Headers of every request of the source (Accept, Authorization), beside the User-Agent. */
  headers: Readonly<Record<string, string>>;
  /**
   * The page fetcher of one run: `http` is the run's client (its counters become the result's),
   * `context` the run's (a clock, the signal a pacing wait ends on).
   */
  pages(http: SourceHttp, context: FetchContext): QueryLoop<State>['fetchPage'];
}

function emptyResult(): SourceResult {
  return { items: [], cursors: new Map(), queries: [], requests: 0, retries: 0, truncated: false };
}

/** `http` with `before` awaited ahead of every request; the counters stay the client's. */
function paced(http: SourceHttp, before: () => Promise<void>): SourceHttp {
  return {
    getText: async (url, headers) => {
      await before();
      return http.getText(url, headers);
    },
    getJson: async (url, headers) => {
      await before();
      return http.getJson(url, headers);
    },
    get requests() {
      return http.requests;
    },
    get retries() {
      return http.retries;
    },
  };
}

/** An adapter: each run pages through `definition.queries` with `options`' limits and HTTP settings. */
export function defineSource<State>(options: CommonSourceOptions, definition: SourceDefinition<State>): SourceAdapter {
  const { name, queries, compare, isCursor } = definition;
  const enabled = definition.enabled ?? true;
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  return {
    name,
    enabled,
    async fetch(context: FetchContext): Promise<SourceResult> {
      if (!enabled) return emptyResult();
      const setup = definition.prepare === undefined ? {} : await definition.prepare(context);
      const http = runHttp(name, options, context, { ...definition.headers, ...setup.headers }, { onResponse: setup.onResponse });
      const fetchPage = definition.pages(setup.beforeRequest === undefined ? http : paced(http, setup.beforeRequest), context);
      return runQueries<State>({ source: name, queries, maxPages, compare, isCursor, lagBehind: definition.lagBehind, fetchPage }, context, http);
    },
  };
}
