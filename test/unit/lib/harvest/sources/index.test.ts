import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../../lib/config.js';
import { createSources } from '../../../../../lib/harvest/sources/index.js';

describe('createSources', () => {
  it('builds every configured source, leaving out X without a bearer token and Reddit without its app credentials', () => {
    const sources = createSources(loadConfig({}));

    expect(sources.map((source) => source.name)).toEqual(['hackernews', 'github', 'arxiv']);
    expect(createSources(loadConfig({ REDDIT_CLIENT_ID: 'id', REDDIT_CLIENT_SECRET: 'secret' })).map((source) => source.name)).toContain('reddit');
    expect(sources.every((source) => source.enabled)).toBe(true);
  });

  it('builds X once it has a token', () => {
    const sources = createSources(loadConfig({ X_BEARER_TOKEN: 'token' }));

    expect(sources.map((source) => source.name)).toContain('x');
  });

  it('builds only the sources HARVEST_SOURCES names, in its order, each once', () => {
    const sources = createSources(loadConfig({ HARVEST_SOURCES: 'reddit,arxiv,reddit', X_BEARER_TOKEN: 'token', REDDIT_CLIENT_ID: 'id', REDDIT_CLIENT_SECRET: 'secret' }));

    expect(sources.map((source) => source.name)).toEqual(['reddit', 'arxiv']);
  });
});
