-- Watches (lib/delivery/, functions/watches.ts, functions/feeds.ts), version 7: saved queries owned
-- by an API key, each with a feed token. Expand only: a new table nothing else reads yet.
-- Runs inside one transaction opened by the runner: no BEGIN/COMMIT here.

CREATE TABLE watches (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The owning key's id as text, not a foreign key: the configured bootstrap admin key has no
  -- api_keys row. A revoked owner's feeds stop (the feed query joins api_keys).
  owner_key_id      text NOT NULL CHECK (length(owner_key_id) BETWEEN 1 AND 64),
  name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- The filter in the API's own field names, validated by lib/delivery/watch-filter.ts on write.
  filter            jsonb NOT NULL CHECK (jsonb_typeof(filter) = 'object'),
  -- SHA-256 hex of the feed token (lib/delivery/feed-token.ts); the token itself is shown once.
  feed_token_hash   text NOT NULL UNIQUE CHECK (feed_token_hash ~ '^[0-9a-f]{64}$'),
  feed_token_prefix text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- GET /v1/watches: one key's watches, newest first; the per-tier cap counts them.
CREATE INDEX watches_owner_idx ON watches (owner_key_id, id DESC);
