// The options every source adapter shares, their defaults (the same as lib/config.ts), and how one
// run's HTTP client is built from them and the pipeline's FetchContext. Each adapter adds its own
// fields (page size, token) on top; lib/harvest/sources/index.ts fills them from configuration.
import type { FetchContext } from '../types.js';
import type { SourceName } from '../../model/sources.js';
import { createSourceHttp, type RetryOptions, type SourceHttp, type SourceHttpOptions, type Sleep } from './http.js';

export interface CommonSourceOptions {
  /** Pages fetched per query and run at most (SOURCE_MAX_PAGES). Default 3. */
  maxPages?: number;
  /** Budget of one HTTP attempt, ms (SOURCE_TIMEOUT_MS); a request makes up to 3. Default 10,000. */
  timeoutMs?: number;
  /** User-Agent of every request (HARVEST_USER_AGENT); Reddit asks for a descriptive one. */
  userAgent?: string;
  /** The fetch to use. Default: the run's `context.fetch`, else the global fetch. */
  fetch?: typeof fetch;
  /** How retry (and arXiv's pacing) waits are spent. Default: a real timer that ends on abort. */
  sleep?: Sleep;
  /** Attempts, backoff and the longest wait a source may ask for; see RetryOptions. */
  retry?: RetryOptions;
}

/** What every adapter is built from: where its API is and what it asks, over the shared options. */
export interface SourceOptions extends CommonSourceOptions {
  /** API base URL (`<SOURCE>_API_URL`, e.g. `https://hn.algolia.com/api/v1`). */
  baseUrl: string;
  /**
   * What the source is asked, each with its own cursor: search expressions (HN, GitHub, arXiv's
   * `search_query`, X), subreddit names without `r/` for Reddit (`<SOURCE>_QUERIES`, REDDIT_SUBREDDITS).
   */
  queries: readonly string[];
}

export const DEFAULT_MAX_PAGES = 3;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_USER_AGENT = 'signal-harvester/0.1 (scheduled research digest)';

/** The configuration every adapter reads (lib/config.ts names). */
export interface CommonSourceConfig {
  SOURCE_MAX_PAGES: number;
  SOURCE_TIMEOUT_MS: number;
  HARVEST_USER_AGENT: string;
}

/** The shared options from configuration. */
export function commonOptionsFromConfig(config: CommonSourceConfig): Required<Pick<CommonSourceOptions, 'maxPages' | 'timeoutMs' | 'userAgent'>> {
  return { maxPages: config.SOURCE_MAX_PAGES, timeoutMs: config.SOURCE_TIMEOUT_MS, userAgent: config.HARVEST_USER_AGENT };
}

/** The HTTP client of one run: the run's signal, budget and fetch, the adapter's timeout and headers. */
export function runHttp(
  source: SourceName,
  options: CommonSourceOptions,
  context: FetchContext,
  headers: Readonly<Record<string, string>>,
  hooks: Pick<SourceHttpOptions, 'onResponse'> = {},
): SourceHttp {
  return createSourceHttp({
    ...hooks,
    ...options.retry,
    source,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    signal: context.run.signal,
    remainingMs: () => context.run.remainingMs(),
    headers: { 'user-agent': options.userAgent ?? DEFAULT_USER_AGENT, ...headers },
    fetch: options.fetch ?? context.fetch,
    sleep: options.sleep,
    now: context.now,
  });
}
