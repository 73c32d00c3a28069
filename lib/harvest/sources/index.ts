// The harvest's sources: one adapter per name in HARVEST_SOURCES, built from the configuration.
// Adapters that are not configured (X without a bearer token) are left out, so the pipeline runs
// exactly the list it gets.
import type { Config } from '../../config.js';
import type { SourceAdapter } from '../types.js';
import type { SourceName } from '../../model/sources.js';
import { createArxivSource, type ArxivSourceOptions } from './arxiv.js';
import { createGitHubSource, type GitHubSourceOptions } from './github.js';
import { createHackerNewsSource, type HackerNewsSourceOptions } from './hackernews.js';
import { commonOptionsFromConfig, type CommonSourceOptions } from './options.js';
import { createRedditSource, type RedditSourceOptions } from './reddit.js';
import { createXSource, type XSourceOptions } from './x.js';

export type SourcesConfig = Pick<
  Config,
  | 'HARVEST_SOURCES'
  | 'SOURCE_MAX_PAGES'
  | 'SOURCE_TIMEOUT_MS'
  | 'HARVEST_USER_AGENT'
  | 'HACKERNEWS_API_URL'
  | 'HACKERNEWS_QUERIES'
  | 'GITHUB_API_URL'
  | 'GITHUB_QUERIES'
  | 'GITHUB_TOKEN'
  | 'ARXIV_API_URL'
  | 'ARXIV_QUERIES'
  | 'REDDIT_API_URL'
  | 'REDDIT_AUTH_URL'
  | 'REDDIT_CLIENT_ID'
  | 'REDDIT_CLIENT_SECRET'
  | 'REDDIT_USER_AGENT'
  | 'REDDIT_SUBREDDITS'
  | 'X_API_URL'
  | 'X_QUERIES'
  | 'X_BEARER_TOKEN'
>;

/** Options laid over every adapter's configuration (tests: a fetch, a recording sleep). */
export type SourceOverrides = Pick<CommonSourceOptions, 'fetch' | 'sleep' | 'retry'>;

/** Each adapter's options. */
interface OptionsBySource {
  hackernews: HackerNewsSourceOptions;
  github: GitHubSourceOptions;
  arxiv: ArxivSourceOptions;
  reddit: RedditSourceOptions;
  x: XSourceOptions;
}

/** Each adapter's own settings, over the shared ones (SOURCE_MAX_PAGES, SOURCE_TIMEOUT_MS, HARVEST_USER_AGENT). */
const FROM_CONFIG: { readonly [S in SourceName]: (config: SourcesConfig) => Omit<OptionsBySource[S], keyof CommonSourceOptions> } = {
  hackernews: (config) => ({ baseUrl: config.HACKERNEWS_API_URL, queries: config.HACKERNEWS_QUERIES }),
  github: (config) => ({ baseUrl: config.GITHUB_API_URL, queries: config.GITHUB_QUERIES, token: config.GITHUB_TOKEN }),
  arxiv: (config) => ({ baseUrl: config.ARXIV_API_URL, queries: config.ARXIV_QUERIES }),
  reddit: (config) => ({
    baseUrl: config.REDDIT_API_URL,
    queries: config.REDDIT_SUBREDDITS,
    authUrl: config.REDDIT_AUTH_URL,
    clientId: config.REDDIT_CLIENT_ID,
    clientSecret: config.REDDIT_CLIENT_SECRET,
    redditUserAgent: config.REDDIT_USER_AGENT,
  }),
  x: (config) => ({ baseUrl: config.X_API_URL, queries: config.X_QUERIES, bearerToken: config.X_BEARER_TOKEN }),
};

const CREATE: { readonly [S in SourceName]: (options: OptionsBySource[S]) => SourceAdapter } = {
  hackernews: createHackerNewsSource,
  github: createGitHubSource,
  arxiv: createArxivSource,
  reddit: createRedditSource,
  x: createXSource,
};

/** The options of `source`'s adapter per configuration. */
export function sourceOptionsFromConfig<S extends SourceName>(source: S, config: SourcesConfig): OptionsBySource[S] {
  return { ...commonOptionsFromConfig(config), ...FROM_CONFIG[source](config) };
}

function createSource<S extends SourceName>(source: S, config: SourcesConfig, overrides: SourceOverrides): SourceAdapter {
  return CREATE[source]({ ...sourceOptionsFromConfig(source, config), ...overrides });
}

/** The enabled adapters named in HARVEST_SOURCES, in that order, each once. */
export function createSources(config: SourcesConfig, overrides: SourceOverrides = {}): SourceAdapter[] {
  return [...new Set(config.HARVEST_SOURCES)].map((name) => createSource(name, config, overrides)).filter((adapter) => adapter.enabled);
}

export { createArxivSource, type ArxivSourceOptions } from './arxiv.js';
export { createGitHubSource, type GitHubSourceOptions } from './github.js';
export { createHackerNewsSource, type HackerNewsSourceOptions } from './hackernews.js';
export { createRedditSource, type RedditSourceOptions } from './reddit.js';
export { createXSource, type XSourceOptions } from './x.js';
