// The harvest's sources: one adapter per name in HARVEST_SOURCES, built from the configuration.
// Adapters that are not configured (X without a bearer token) are left out, so the pipeline runs
// exactly the list it gets.
import type { Config } from '../../config.js';
import type { SourceAdapter } from '../types.js';
import type { SourceName } from '../../model/sources.js';
import { arxivOptionsFromConfig, createArxivSource } from './arxiv.js';
import { createGitHubSource, gitHubOptionsFromConfig } from './github.js';
import { createHackerNewsSource, hackerNewsOptionsFromConfig } from './hackernews.js';
import type { CommonSourceOptions } from './options.js';
import { createRedditSource, redditOptionsFromConfig } from './reddit.js';
import { createXSource, xOptionsFromConfig } from './x.js';

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
  | 'REDDIT_SUBREDDITS'
  | 'X_API_URL'
  | 'X_QUERIES'
  | 'X_BEARER_TOKEN'
>;

/** Options laid over every adapter's configuration (tests: a fetch, a recording sleep). */
export type SourceOverrides = Pick<CommonSourceOptions, 'fetch' | 'sleep' | 'retry'>;

const FACTORIES: Readonly<Record<SourceName, (config: SourcesConfig, overrides: SourceOverrides) => SourceAdapter>> = {
  hackernews: (config, overrides) => createHackerNewsSource({ ...hackerNewsOptionsFromConfig(config), ...overrides }),
  github: (config, overrides) => createGitHubSource({ ...gitHubOptionsFromConfig(config), ...overrides }),
  arxiv: (config, overrides) => createArxivSource({ ...arxivOptionsFromConfig(config), ...overrides }),
  reddit: (config, overrides) => createRedditSource({ ...redditOptionsFromConfig(config), ...overrides }),
  x: (config, overrides) => createXSource({ ...xOptionsFromConfig(config), ...overrides }),
};

/** The enabled adapters named in HARVEST_SOURCES, in that order, each once. */
export function createSources(config: SourcesConfig, overrides: SourceOverrides = {}): SourceAdapter[] {
  return [...new Set(config.HARVEST_SOURCES)].map((name) => FACTORIES[name](config, overrides)).filter((adapter) => adapter.enabled);
}

export { createArxivSource, arxivOptionsFromConfig, type ArxivSourceOptions } from './arxiv.js';
export { createGitHubSource, gitHubOptionsFromConfig, type GitHubSourceOptions } from './github.js';
export { createHackerNewsSource, hackerNewsOptionsFromConfig, type HackerNewsSourceOptions } from './hackernews.js';
export { createRedditSource, redditOptionsFromConfig, type RedditSourceOptions } from './reddit.js';
export { createXSource, xOptionsFromConfig, type XSourceOptions } from './x.js';
