// The only reader of process.env. Validates once (zod/mini: tree-shakable, ~16 KB in a bundle
// where classic zod costs ~450 KB), caches the result per container, and fails with a message that
// names every wrong variable. Later layers (secrets) merge into this object; nothing else reads env.
import * as z from 'zod/mini';
import { ConfigError } from './errors.js';
import { SOURCE_NAMES } from './model/sources.js';
import { describeIssue } from './validation/describe-issue.js';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** A comma-separated list, trimmed, empty entries dropped. */
const commaList = z.pipe(
  z._default(z.string(), ''),
  z.transform((raw: string) =>
    raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  ),
);

const schema = z.object({
  /** Deployment stage (`local`, `dev`, `staging`, `prod`); set by serverless.yml. */
  STAGE: z._default(z.string().check(z.regex(/^[a-z0-9-]+$/)), 'local'),
  /** Release version reported by the health probes; set by serverless.yml from package.json. */
  APP_VERSION: z._default(z.string().check(z.minLength(1)), '0.0.0-dev'),
  /** Minimum level written by lib/log.ts. */
  LOG_LEVEL: z._default(z.enum(LOG_LEVELS), 'info'),
  /** Origins allowed by CORS (exact match, e.g. `https://app.example.com`); empty = no CORS headers. */
  CORS_ALLOWED_ORIGINS: commaList,
  /** Postgres (Neon pooled) connection string; unset = embedded PGlite under PGLITE_DIR (local only). */
  DATABASE_URL: z.optional(z.string().check(z.regex(/^postgres(ql)?:\/\//))),
  /**
   * WebSocket proxy for the Neon driver as `host:port/path` (plain ws://). Unset in production (the
   * driver talks to Neon directly); set it to reach a plain Postgres through infra/local/neon-bridge.
   */
  NEON_WS_PROXY: z.optional(z.string().check(z.minLength(1))),
  /** Where the embedded PGlite database lives when DATABASE_URL is unset. */
  PGLITE_DIR: z._default(z.string().check(z.minLength(1)), '.data/pglite'),
  /** Connections per container (Neon Pool `max`): 1,000 containers × this must fit the pooler. */
  DB_POOL_MAX: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10)), 2),
  /** Server-side statement timeout of every transaction (SET LOCAL), ms; single statements: the role's default. */
  DB_STATEMENT_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(100)), 5000),
  /** Bootstrap admin API key (≥ 32 characters); lets the first real keys be created. */
  ADMIN_API_KEY: z.optional(z.string().check(z.minLength(32))),
  /** How long a container trusts a looked-up API key (revocation takes effect within this). */
  API_KEY_CACHE_TTL_MS: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(300_000)), 30_000),
  /**
   * Key (≥ 32 characters; keep it in the secret) that signs the web dashboard's session cookies and
   * CSRF tokens (lib/web/session/). Unset: stage `local` signs with a random key per process
   * (sessions end when it restarts); any other stage refuses sign-in (503).
   */
  WEB_SESSION_SECRET: z.optional(z.string().check(z.minLength(32))),
  /** How long a web dashboard session lasts after sign-in, ms (1 minute to 7 days). */
  WEB_SESSION_TTL_MS: z._default(z.coerce.number().check(z.int(), z.minimum(60_000), z.maximum(7 * 86_400_000)), 8 * 3_600_000),
  /** Upstash REST endpoint for rate limits; unset = in-memory limiter per container (local only). */
  UPSTASH_REDIS_REST_URL: z.optional(z.url()),
  /** Upstash REST token (Bearer). */
  UPSTASH_REDIS_REST_TOKEN: z.optional(z.string().check(z.minLength(1))),
  /** Tokens per minute (= bucket capacity) of each tier; admin is unlimited. */
  RATE_LIMIT_ANONYMOUS: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 100),
  RATE_LIMIT_API_KEY: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 1000),
  RATE_LIMIT_PREMIUM: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 5000),
  /** Time budget of one Redis decision; past it the limiter decides from memory (fallback). */
  RATE_LIMIT_REDIS_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(5000)), 50),
  /**
   * Budget of a container's first Redis decisions, until Redis has answered once (a warm-up PING
   * is sent when the limiter is built): the first call opens the connection (DNS, TCP, TLS), which
   * does not fit the warm budget. Never below RATE_LIMIT_REDIS_TIMEOUT_MS.
   */
  RATE_LIMIT_COLD_START_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(5000)), 300),
  /**
   * Share of a bucket each container may grant while Redis is failing or too slow (its fallback
   * bucket holds this share of what Redis last reported, and refills at this share of the rate):
   * N containers together grant at most N × share × the limit. 0.25: four warm containers hold the
   * limit exactly.
   */
  RATE_LIMIT_FALLBACK_SHARE: z._default(z.coerce.number().check(z.gt(0), z.maximum(1)), 0.25),
  /** Set by the Lambda runtime: the function's memory size in MB (the readiness memory check). */
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: z.optional(z.coerce.number().check(z.int(), z.minimum(128))),
  /** How long a readiness result is reused by this container, ms (a probe storm is not a DB storm). */
  /**
   * How long a container answers `GET /v1/signals/stats` from its last result, ms: the statement
   * scans the whole table, so an anonymous caller must not be able to run it per request. 0 = no cache.
   */
  STATS_CACHE_TTL_MS: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(3_600_000)), 60_000),
  HEALTH_CACHE_TTL_MS: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(60_000)), 3000),
  /** Largest request body accepted, in bytes (413 above). */
  MAX_BODY_BYTES: z._default(z.coerce.number().check(z.int(), z.minimum(1024), z.maximum(6 * 1024 * 1024)), 65_536),
  /**
   * Prometheus Pushgateway that every container pushes its registry to (lib/metrics/pushgateway.ts);
   * unset = nothing is pushed (locally, `GET /metrics` serves the process's registry instead).
   */
  PUSHGATEWAY_URL: z.optional(z.url({ protocol: /^https?$/ })),
  /**
   * Where containers push their registries: `pushgateway` (PUSHGATEWAY_URL, the default) or
   * `victoria-metrics` (VICTORIA_METRICS_URL: its Prometheus import API, for past ~1,000 containers).
   */
  METRICS_PUSH_TARGET: z._default(z.enum(['pushgateway', 'victoria-metrics']), 'pushgateway'),
  /** VictoriaMetrics (single node, or a cluster's vminsert `…/insert/0/prometheus`) base URL; used when METRICS_PUSH_TARGET=victoria-metrics. */
  VICTORIA_METRICS_URL: z.optional(z.url({ protocol: /^https?$/ })),
  /** An HTTP function pushes when its last push is older than this, ms; 0 = after every invocation. */
  METRICS_PUSH_INTERVAL_MS: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(3_600_000)), 10_000),
  /** Time budget of one push, ms (capped further by the Lambda's remaining time). */
  METRICS_PUSH_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10_000)), 300),
  /** The janitor deletes Pushgateway groups of this service not pushed to for this long, ms. */
  PUSHGATEWAY_GROUP_TTL_MS: z._default(z.coerce.number().check(z.int(), z.minimum(1000)), 1_800_000),
  /**
   * Name or ARN of the Secrets Manager secret (a JSON object of strings) whose keys override this
   * configuration (lib/secrets.ts); unset = no secret is read and the SDK is never loaded.
   */
  SECRETS_ID: z.optional(z.string().check(z.minLength(1))),
  /** How long a container trusts the loaded secret, ms; a rotation propagates within this. */
  SECRETS_TTL_MS: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(86_400_000)), 300_000),
  /** Secrets Manager endpoint override (tests, local fakes); unset = the region's AWS endpoint. */
  SECRETS_ENDPOINT: z.optional(z.url({ protocol: /^https?$/ })),
  /** Set by the Lambda runtime: the region the Secrets Manager client talks to. */
  AWS_REGION: z.optional(z.string().check(z.minLength(1))),

  // ── The harvest (lib/jobs/catalog/discover.ts, lib/harvest/) ─────────────────────────────────────────
  /** Sources the discover job asks, by adapter name; `x` also needs X_BEARER_TOKEN. */
  HARVEST_SOURCES: z._default(z.pipe(commaList, z.array(z.enum(SOURCE_NAMES))), [...SOURCE_NAMES]),
  /** Sources fetched at once (the ancestor's `max_concurrent_sources`). */
  MAX_CONCURRENT_SOURCES: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(20)), 5),
  /** Time budget of one HTTP request to a source, ms (each of up to 3 attempts). */
  SOURCE_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(100), z.maximum(60_000)), 10_000),
  /** Pages fetched per source query and run at most; the cursor lets the next run continue. */
  SOURCE_MAX_PAGES: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(50)), 3),
  /** User-Agent sent to every source (Reddit asks for a descriptive one). */
  HARVEST_USER_AGENT: z._default(z.string().check(z.minLength(1)), 'signal-harvester/0.1 (scheduled research digest; contact: ops)'),
  /** Hacker News search (Algolia API) base URL and the queries run against `search_by_date`. */
  HACKERNEWS_API_URL: z._default(z.url({ protocol: /^https?$/ }), 'https://hn.algolia.com/api/v1'),
  HACKERNEWS_QUERIES: z._default(commaList, ['llm', 'machine learning', 'open source model']),
  /** GitHub REST base URL, repository search queries (`topic:llm`, `language:rust stars:>50`), optional token. */
  GITHUB_API_URL: z._default(z.url({ protocol: /^https?$/ }), 'https://api.github.com'),
  GITHUB_QUERIES: z._default(commaList, ['topic:llm', 'topic:machine-learning']),
  GITHUB_TOKEN: z.optional(z.string().check(z.minLength(1))),
  /** arXiv API base URL and `search_query` expressions (`cat:cs.LG`, `all:diffusion`). */
  ARXIV_API_URL: z._default(z.url({ protocol: /^https?$/ }), 'https://export.arxiv.org'),
  ARXIV_QUERIES: z._default(commaList, ['cat:cs.LG', 'cat:cs.AI', 'cat:cs.CL']),
  /**
   * Reddit: the API base URL (app-only OAuth: anonymous www.reddit.com answers 403 to data-centre
   * addresses), where the token is asked for, the subreddits whose `/new.json` listing is read, the
   * app's id and secret (keep them in the secret; unset = Reddit is off) and the User-Agent in the
   * `platform:app:version (by /u/name)` form Reddit requires.
   */
  REDDIT_API_URL: z._default(z.url({ protocol: /^https?$/ }), 'https://oauth.reddit.com'),
  REDDIT_AUTH_URL: z._default(z.url({ protocol: /^https?$/ }), 'https://www.reddit.com'),
  REDDIT_CLIENT_ID: z.optional(z.string().check(z.minLength(1))),
  REDDIT_CLIENT_SECRET: z.optional(z.string().check(z.minLength(1))),
  REDDIT_USER_AGENT: z._default(
    z.string().check(z.regex(/^[\w.-]+:[\w.-]+:[\w.-]+ \(by \/u\/[\w-]+\)$/, 'must read platform:app:version (by /u/name)')),
    'lambda:signal-harvester:0.1.0 (by /u/signal-harvester)',
  ),
  REDDIT_SUBREDDITS: z._default(commaList, ['MachineLearning', 'LocalLLaMA']),
  /** X API v2 base URL, recent-search queries and bearer token (no token = source disabled). */
  X_API_URL: z._default(z.url({ protocol: /^https?$/ }), 'https://api.x.com'),
  X_QUERIES: z._default(commaList, ['llm -is:retweet lang:en']),
  X_BEARER_TOKEN: z.optional(z.string().check(z.minLength(1))),
  /** OpenAI-compatible chat-completions endpoint for optional LLM classification; unset = keywords only. */
  LLM_API_URL: z.optional(z.url({ protocol: /^https?$/ })),
  LLM_API_KEY: z.optional(z.string().check(z.minLength(1))),
  LLM_MODEL: z._default(z.string().check(z.minLength(1)), 'gpt-4o-mini'),
  /** LLM calls one run may make; past it the keyword classifier decides. */
  LLM_BUDGET_PER_RUN: z._default(z.coerce.number().check(z.int(), z.minimum(0)), 50),
  LLM_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(100), z.maximum(60_000)), 8_000),
  /** Slack incoming webhook for new important signals; unset = no notifications. */
  SLACK_WEBHOOK_URL: z.optional(z.url({ protocol: /^https?$/ })),
  /** A new post is notified at or above this salience, an artifact at or above this discovery score. */
  NOTIFY_MIN_SALIENCE: z._default(z.coerce.number().check(z.minimum(0), z.maximum(100)), 70),
  NOTIFY_MIN_DISCOVERY_SCORE: z._default(z.coerce.number().check(z.minimum(0), z.maximum(100)), 80),
  /** Signals in one Slack message at most (the rest wait for the next run). */
  NOTIFY_MAX_PER_RUN: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(50)), 20),
  /**
   * Lambda API endpoint override for `POST /v1/admin/jobs/{name}` (asynchronous invoke): the local
   * runtime's own, or a test's fake. Unset = the region's AWS endpoint.
   */
  LAMBDA_ENDPOINT: z.optional(z.url({ protocol: /^https?$/ })),
  /**
   * Stage `local` only: the local runtime's Invoke API token, generated at each start and set by
   * the runtime itself; sent as the SigV4 access key id, which the runtime checks (nothing else on
   * the machine may start jobs or pick an event's source IP).
   */
  LOCAL_INVOKE_TOKEN: z.optional(z.string().check(z.minLength(16))),
  /** Prefix of deployed function names (`<service>-<stage>-`), set by serverless.yml; the job invoke target. */
  FUNCTION_NAME_PREFIX: z.optional(z.string().check(z.minLength(1))),

  // ── Topics (lib/jobs/catalog/evolve-topics.ts, lib/harvest/topics/) ─────────────────────────────────
  /** Fewest signals that make an emergent topic, a growth/decline, or each half of a split (the seed's min_artifacts_per_topic). */
  MIN_SIGNALS_PER_TOPIC: z._default(z.coerce.number().check(z.int(), z.minimum(2), z.maximum(100)), 3),
  /** Days of signals the daily topic job looks at (complete UTC days before its run day). */
  TOPIC_WINDOW_DAYS: z._default(z.coerce.number().check(z.int(), z.minimum(2), z.maximum(90)), 30),
  /** How long a signal's text vector stays cached in Redis, seconds (the seed's embeddings cache_ttl, 7 days). */
  TOPIC_VECTOR_CACHE_TTL_S: z._default(z.coerce.number().check(z.int(), z.minimum(60), z.maximum(30 * 86_400)), 604_800),
  /** Two topics whose recent centroids are at least this similar (cosine) merge into one. */
  TOPIC_MERGE_SIMILARITY: z._default(z.coerce.number().check(z.minimum(0), z.maximum(1)), 0.85),
  /** A topic splits when its members form two groups whose centroids are less similar (cosine) than this. */
  TOPIC_SPLIT_SIMILARITY: z._default(z.coerce.number().check(z.minimum(0), z.maximum(1)), 0.7),

  // ── Webhooks (lib/delivery/webhooks/, lib/jobs/catalog/deliver.ts) ─────────────────────────────────
  /**
   * The AES-256-GCM key (32 bytes, base64) webhook signing secrets are encrypted with at rest. Keep it
   * in the secret (SECRETS_ID); required outside the local stage, where an embedded default serves.
   */
  WEBHOOK_SECRET_KEY: z.optional(z.string().check(z.regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64'))),
  /** How long a rotated-out webhook secret still signs beside the new one, ms (default 24 h). */
  WEBHOOK_ROTATION_OVERLAP_MS: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(7 * 86_400_000)), 86_400_000),
  /** Budget of one webhook request (connect to the end of the capped response), ms. */
  WEBHOOK_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(100), z.maximum(30_000)), 10_000),
  /** Endpoints the deliver job sends to at once. */
  DELIVERY_CONCURRENCY: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 16),
  /** Time one endpoint may take per sweep, ms: past it its remaining deliveries wait for the next sweep. */
  DELIVERY_ENDPOINT_BUDGET_MS: z._default(z.coerce.number().check(z.int(), z.minimum(100), z.maximum(600_000)), 20_000),
  /** Deliveries one sweep claims at most. */
  DELIVERY_BATCH_SIZE: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(50_000)), 2_000),
  /** New signals one sweep enqueues per watch at most (the rest the next sweep). */
  DELIVERY_ENQUEUE_PER_WATCH: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10_000)), 500),
  /** Watches one sweep enqueues for at most (longest waiting first). */
  DELIVERY_ENQUEUE_WATCHES: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100_000)), 1_000),

  // ── Retention (lib/jobs/catalog/janitor.ts, lib/housekeeping/) ───────────────────────────────────────
  /** Archived signals not updated for this many days are deleted, with their topic assignments (at most 100 years). */
  SIGNAL_RETENTION_DAYS: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(36_500)), 90),
  /** job_runs rows started this many days ago are deleted, whatever their status (at most 100 years). */
  JOB_RUN_RETENTION_DAYS: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(36_500)), 30),
  /** Rows one retention DELETE removes at most; each batch is its own statement (a short transaction). */
  RETENTION_BATCH_SIZE: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10_000)), 1000),
  /** Retention DELETEs one janitor run issues at most, both tables together; the next run goes on. */
  RETENTION_MAX_BATCHES: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 50),
});

export type Config = z.output<typeof schema>;
export type LogLevel = Config['LOG_LEVEL'];

/**
 * Parses configuration from an environment. Empty strings count as unset, so serverless.yml can
 * pass `${env:X, ''}` through. Values are never echoed in the error: some of them are secrets.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') present[key] = value;
  }
  const result = z.safeParse(schema, present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')} ${describeIssue(issue)}`);
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}

let cached: Config | undefined;
/** Values layered over process.env (the Secrets Manager secret); see `applyOverrides`. */
let overrides: Readonly<Record<string, string>> = {};

/** This container's configuration, parsed from process.env (plus any overrides) on first use. */
export function getConfig(): Config {
  cached ??= loadConfig({ ...process.env, ...overrides });
  return cached;
}

/**
 * Layers `values` over process.env and replaces the cached configuration (lib/secrets.ts calls it
 * with the secret's keys). Validated before anything changes: an invalid value throws ConfigError
 * and the previous configuration stays in force. Replaces earlier overrides; `{}` removes them.
 * Clients already built from the old configuration (database pool, Redis client) keep it.
 */
export function applyOverrides(values: Readonly<Record<string, string>>): Config {
  const next = loadConfig({ ...process.env, ...values });
  overrides = { ...values };
  cached = next;
  return next;
}

/**
 * Forgets the cached configuration (tests, and the local runtime after changing env); it is parsed
 * again on next use, overrides still applied (`applyOverrides({})` removes those).
 */
export function resetConfig(): void {
  cached = undefined;
}
