-- Signal Harvester schema, version 1. Forward-only: never edit this file once applied anywhere;
-- add a new numbered file instead (expand, migrate, then contract in a later release).
-- Each file runs inside one transaction opened by the runner: no BEGIN/COMMIT here.

CREATE TABLE signals (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source          text NOT NULL CHECK (source ~ '^[a-z0-9_]{1,32}$'),
  source_id       text NOT NULL CHECK (length(source_id) BETWEEN 1 AND 256),
  kind            text NOT NULL CHECK (kind IN ('post', 'preprint', 'repository', 'release', 'story')),
  url             text NOT NULL,
  title           text NOT NULL,
  text            text NOT NULL DEFAULT '',
  author          text,
  published_at    timestamptz NOT NULL,
  fetched_at      timestamptz NOT NULL DEFAULT now(),
  engagement      jsonb NOT NULL DEFAULT '{}'::jsonb,
  category        text,
  sentiment       text CHECK (sentiment IN ('positive', 'neutral', 'negative', 'mixed')),
  urgency         smallint CHECK (urgency BETWEEN 0 AND 5),
  tags            text[] NOT NULL DEFAULT '{}',
  salience        double precision CHECK (salience BETWEEN 0 AND 100),
  discovery_score double precision CHECK (discovery_score BETWEEN 0 AND 100),
  -- One ranking number for every kind: the discovery score for artifacts, salience for posts.
  score           double precision GENERATED ALWAYS AS (COALESCE(discovery_score, salience, 0)) STORED,
  score_details   jsonb NOT NULL DEFAULT '{}'::jsonb,
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'archived')),
  notified_at     timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  search          tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
                    setweight(to_tsvector('english', coalesce(text, '')), 'B')
                  ) STORED,
  CONSTRAINT signals_source_item UNIQUE (source, source_id)
);

-- Keyset pagination: every sort the API offers, with id as the tie-breaker.
CREATE INDEX signals_score_idx        ON signals (score DESC, id DESC);
CREATE INDEX signals_published_at_idx ON signals (published_at DESC, id DESC);
CREATE INDEX signals_fetched_at_idx   ON signals (fetched_at DESC, id DESC);
-- Filters.
CREATE INDEX signals_source_idx       ON signals (source, score DESC, id DESC);
CREATE INDEX signals_kind_idx         ON signals (kind, score DESC, id DESC);
CREATE INDEX signals_category_idx     ON signals (category, score DESC, id DESC);
CREATE INDEX signals_status_idx       ON signals (status, score DESC, id DESC);
CREATE INDEX signals_discovery_idx    ON signals (discovery_score DESC, id DESC) WHERE discovery_score IS NOT NULL;
CREATE INDEX signals_tags_idx         ON signals USING gin (tags);
CREATE INDEX signals_search_idx       ON signals USING gin (search);
-- Dedupe across sources by URL; notification sweep.
CREATE INDEX signals_url_idx          ON signals (url);
CREATE INDEX signals_unnotified_idx   ON signals (score DESC) WHERE notified_at IS NULL;

CREATE TABLE topics (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  path        text NOT NULL UNIQUE CHECK (path ~ '^[a-z0-9_-]+(/[a-z0-9_-]+)*$'),
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('taxonomy', 'emergent')),
  keywords    text[] NOT NULL DEFAULT '{}',
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'retired')),
  merged_into bigint REFERENCES topics (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE signal_topics (
  signal_id   bigint NOT NULL REFERENCES signals (id) ON DELETE CASCADE,
  topic_id    bigint NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
  weight      double precision NOT NULL DEFAULT 1 CHECK (weight > 0),
  assigned_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (signal_id, topic_id)
);
CREATE INDEX signal_topics_topic_idx ON signal_topics (topic_id, assigned_at DESC);

CREATE TABLE topic_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic_id    bigint NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('emerge', 'growth', 'decline', 'merge', 'split')),
  occurred_on date NOT NULL,
  details     jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  -- The daily job is idempotent for a given day.
  CONSTRAINT topic_events_once_a_day UNIQUE (topic_id, kind, occurred_on)
);
CREATE INDEX topic_events_day_idx ON topic_events (occurred_on DESC);

CREATE TABLE source_cursors (
  source     text NOT NULL,
  query      text NOT NULL DEFAULT '',
  cursor     text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, query)
);

CREATE TABLE job_runs (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job         text NOT NULL,
  status      text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped')),
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  duration_ms integer,
  details     jsonb NOT NULL DEFAULT '{}'::jsonb,
  error       text
);
CREATE INDEX job_runs_job_idx ON job_runs (job, started_at DESC);
CREATE INDEX job_runs_started_idx ON job_runs (started_at);

CREATE TABLE api_keys (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  tier         text NOT NULL CHECK (tier IN ('api_key', 'premium', 'admin')),
  prefix       text NOT NULL,
  hash         text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
