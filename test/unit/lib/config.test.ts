import { afterEach, describe, expect, it } from 'vitest';
import { applyOverrides, getConfig, loadConfig, resetConfig } from '../../../lib/config.js';
import { ConfigError } from '../../../lib/errors.js';

/** Runs `loadConfig` expecting it to fail, and returns the error. */
function configErrorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig did not throw');
}

/** Every default, as documented in lib/config.ts. */
const DEFAULTS = {
  STAGE: 'local',
  APP_VERSION: '0.0.0-dev',
  LOG_LEVEL: 'info',
  CORS_ALLOWED_ORIGINS: [],
  PGLITE_DIR: '.data/pglite',
  DB_POOL_MAX: 2,
  DB_STATEMENT_TIMEOUT_MS: 5000,
  API_KEY_CACHE_TTL_MS: 30_000,
  MAX_BODY_BYTES: 65_536,
  RATE_LIMIT_ANONYMOUS: 100,
  RATE_LIMIT_API_KEY: 1000,
  RATE_LIMIT_PREMIUM: 5000,
  RATE_LIMIT_REDIS_TIMEOUT_MS: 50,
  RATE_LIMIT_COLD_START_TIMEOUT_MS: 300,
  RATE_LIMIT_FALLBACK_SHARE: 0.25,
  STATS_CACHE_TTL_MS: 60_000,
  HEALTH_CACHE_TTL_MS: 3000,
  METRICS_PUSH_TARGET: 'pushgateway',
  METRICS_PUSH_INTERVAL_MS: 10_000,
  METRICS_PUSH_TIMEOUT_MS: 300,
  PUSHGATEWAY_GROUP_TTL_MS: 1_800_000,
  SECRETS_TTL_MS: 300_000,
  HARVEST_SOURCES: ['hackernews', 'github', 'arxiv', 'reddit', 'x'],
  MAX_CONCURRENT_SOURCES: 5,
  SOURCE_TIMEOUT_MS: 10_000,
  SOURCE_MAX_PAGES: 3,
  HARVEST_USER_AGENT: 'signal-harvester/0.1 (scheduled research digest; contact: ops)',
  HACKERNEWS_API_URL: 'https://hn.algolia.com/api/v1',
  HACKERNEWS_QUERIES: ['llm', 'machine learning', 'open source model'],
  GITHUB_API_URL: 'https://api.github.com',
  GITHUB_QUERIES: ['topic:llm', 'topic:machine-learning'],
  ARXIV_API_URL: 'https://export.arxiv.org',
  ARXIV_QUERIES: ['cat:cs.LG', 'cat:cs.AI', 'cat:cs.CL'],
  REDDIT_API_URL: 'https://oauth.reddit.com',
  REDDIT_AUTH_URL: 'https://www.reddit.com',
  REDDIT_USER_AGENT: 'lambda:signal-harvester:0.1.0 (by /u/signal-harvester)',
  REDDIT_SUBREDDITS: ['MachineLearning', 'LocalLLaMA'],
  X_API_URL: 'https://api.x.com',
  X_QUERIES: ['llm -is:retweet lang:en'],
  LLM_MODEL: 'gpt-4o-mini',
  LLM_BUDGET_PER_RUN: 50,
  LLM_TIMEOUT_MS: 8_000,
  NOTIFY_MIN_SALIENCE: 70,
  NOTIFY_MIN_DISCOVERY_SCORE: 80,
  NOTIFY_MAX_PER_RUN: 20,
  MIN_SIGNALS_PER_TOPIC: 3,
  TOPIC_WINDOW_DAYS: 30,
  TOPIC_VECTOR_CACHE_TTL_S: 604_800,
  TOPIC_MERGE_SIMILARITY: 0.85,
  TOPIC_SPLIT_SIMILARITY: 0.7,
  SIGNAL_RETENTION_DAYS: 90,
  JOB_RUN_RETENTION_DAYS: 30,
  RETENTION_BATCH_SIZE: 1000,
  RETENTION_MAX_BATCHES: 50,
  WEBHOOK_ROTATION_OVERLAP_MS: 86_400_000,
  WEBHOOK_TIMEOUT_MS: 10_000,
  DELIVERY_BATCH_SIZE: 2000,
  DELIVERY_CONCURRENCY: 16,
  DELIVERY_ENDPOINT_BUDGET_MS: 20_000,
  DELIVERY_ENQUEUE_PER_WATCH: 500,
  DELIVERY_ENQUEUE_WATCHES: 1000,
  WEB_SESSION_TTL_MS: 28_800_000,
};

describe('loadConfig', () => {
  it('uses the documented defaults when nothing is set', () => {
    // Act
    const config = loadConfig({});

    // Assess
    expect(config).toEqual(DEFAULTS);
  });

  it('treats empty strings as unset, so defaults apply', () => {
    // Act
    const config = loadConfig({ STAGE: '', APP_VERSION: '', LOG_LEVEL: '', CORS_ALLOWED_ORIGINS: '' });

    // Assess
    expect(config).toEqual(DEFAULTS);
  });

  it('takes valid values as given', () => {
    // Act
    const config = loadConfig({ STAGE: 'prod-eu-1', APP_VERSION: '1.2.3', LOG_LEVEL: 'debug' });

    // Assess
    expect(config.STAGE).toBe('prod-eu-1');
    expect(config.APP_VERSION).toBe('1.2.3');
    expect(config.LOG_LEVEL).toBe('debug');
  });

  it('parses the CORS list, trimming entries and dropping empty ones', () => {
    // Act
    const config = loadConfig({ CORS_ALLOWED_ORIGINS: ' https://a.example ,, https://b.example ,  ,' });

    // Assess
    expect(config.CORS_ALLOWED_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });

  it('reads the metrics push settings, where an interval of 0 means every invocation', () => {
    // Act
    const config = loadConfig({
      PUSHGATEWAY_URL: 'http://127.0.0.1:9091',
      METRICS_PUSH_INTERVAL_MS: '0',
      METRICS_PUSH_TIMEOUT_MS: '150',
      PUSHGATEWAY_GROUP_TTL_MS: '60000',
    });

    // Assess
    expect(config.PUSHGATEWAY_URL).toBe('http://127.0.0.1:9091');
    expect(config.METRICS_PUSH_INTERVAL_MS).toBe(0);
    expect(config.METRICS_PUSH_TIMEOUT_MS).toBe(150);
    expect(config.PUSHGATEWAY_GROUP_TTL_MS).toBe(60_000);
  });

  it('rejects a Pushgateway address that is not a URL and a push timeout of 0, naming both', () => {
    // Act
    const error = configErrorOf({ PUSHGATEWAY_URL: 'pushgateway:9091/x y', METRICS_PUSH_TIMEOUT_MS: '0' });

    // Assess
    expect(error.message).toContain('PUSHGATEWAY_URL');
    expect(error.message).toContain('METRICS_PUSH_TIMEOUT_MS');
  });

  it('reads the secrets settings, rejecting an endpoint that is not an http(s) URL', () => {
    // Act
    const config = loadConfig({ SECRETS_ID: 'signal-harvester/dev', SECRETS_TTL_MS: '1000', SECRETS_ENDPOINT: 'http://127.0.0.1:4566', AWS_REGION: 'eu-west-1' });
    const error = configErrorOf({ SECRETS_ENDPOINT: 'ftp://example.com' });

    // Assess
    expect(config.SECRETS_ID).toBe('signal-harvester/dev');
    expect(config.SECRETS_TTL_MS).toBe(1000);
    expect(config.SECRETS_ENDPOINT).toBe('http://127.0.0.1:4566');
    expect(config.AWS_REGION).toBe('eu-west-1');
    expect(error.message).toContain('SECRETS_ENDPOINT');
  });

  it('ignores variables it does not know', () => {
    // Act
    const config = loadConfig({ UNRELATED: 'x', PATH: '/usr/bin' });

    // Assess
    expect(config).not.toHaveProperty('UNRELATED');
  });

  it('rejects an unknown log level with a ConfigError naming LOG_LEVEL but not the value', () => {
    // Act
    const error = configErrorOf({ LOG_LEVEL: 'loud' });

    // Assess
    expect(error.name).toBe('ConfigError');
    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain('LOG_LEVEL');
    expect(error.message).toContain('debug, info, warn, error');
    expect(error.message).not.toContain('loud');
  });

  it('rejects a stage with spaces and capitals, naming STAGE and its pattern but not the value', () => {
    // Act
    const error = configErrorOf({ STAGE: 'Bad Stage' });

    // Assess
    expect(error.message).toContain('STAGE');
    expect(error.message).not.toContain('Bad Stage');
    expect(error.message).toContain('STAGE must match /^[a-z0-9-]+$/');
  });

  it('names every wrong variable in one error', () => {
    // Act
    const error = configErrorOf({ STAGE: 'Bad Stage', LOG_LEVEL: 'loud', APP_VERSION: '1.0.0' });

    // Assess
    expect(error.message).toMatch(/^invalid configuration: /);
    expect(error.message).toContain('STAGE');
    expect(error.message).toContain('LOG_LEVEL');
    expect(error.message).not.toContain('APP_VERSION');
  });

  it('never echoes a secret-looking value that fails validation', () => {
    // Act
    const error = configErrorOf({ LOG_LEVEL: 'sk_live_0123456789abcdef' });

    // Assess
    expect(error.message).not.toContain('sk_live_0123456789abcdef');
  });
});

describe('getConfig', () => {
  const saved = process.env.LOG_LEVEL;

  afterEach(() => {
    if (saved === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = saved;
    resetConfig();
  });

  it('caches the configuration until resetConfig is called', () => {
    // Prepare
    process.env.LOG_LEVEL = 'warn';
    resetConfig();
    const first = getConfig();
    process.env.LOG_LEVEL = 'error';

    // Act
    const cached = getConfig();
    resetConfig();
    const fresh = getConfig();

    // Assess
    expect(first.LOG_LEVEL).toBe('warn');
    expect(cached).toBe(first);
    expect(fresh.LOG_LEVEL).toBe('error');
  });
});

describe('applyOverrides', () => {
  const saved = process.env.LOG_LEVEL;

  afterEach(() => {
    if (saved === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = saved;
    applyOverrides({});
    resetConfig();
  });

  it('layers values over the environment and replaces the cached configuration', () => {
    // Prepare
    process.env.LOG_LEVEL = 'warn';
    resetConfig();
    const before = getConfig();

    // Act
    applyOverrides({ LOG_LEVEL: 'error' });
    const after = getConfig();
    resetConfig();
    const reparsed = getConfig();

    // Assess
    expect(before.LOG_LEVEL).toBe('warn');
    expect(after.LOG_LEVEL).toBe('error');
    expect(reparsed.LOG_LEVEL).toBe('error');
  });

  it('keeps the previous configuration when an override is invalid', () => {
    // Prepare
    process.env.LOG_LEVEL = 'warn';
    resetConfig();
    const before = getConfig();

    // Act
    const apply = (): unknown => applyOverrides({ LOG_LEVEL: 'loud' });

    // Assess
    expect(apply).toThrow(ConfigError);
    expect(getConfig()).toBe(before);
  });
});
