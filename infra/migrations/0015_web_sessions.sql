-- Web dashboard sessions (lib/web/session/, functions/web.ts), version 15. A person signs in with an
-- API key once; the browser then holds a signed cookie naming a session here, never the key.
-- Expand only: a new table nothing else reads yet. Runs inside one transaction opened by the runner.

CREATE TABLE web_sessions (
  -- SHA-256 hex of the session id the cookie carries: a leaked table names no usable session.
  id_hash     text PRIMARY KEY CHECK (id_hash ~ '^[0-9a-f]{64}$'),
  -- The signing-in key's id as text, not a foreign key: the configured bootstrap admin key has no
  -- api_keys row (it signs in as `bootstrap:<fingerprint>`). A revoked key ends its sessions: the
  -- session look-up joins api_keys.
  key_id      text NOT NULL CHECK (length(key_id) BETWEEN 1 AND 64),
  -- The key's tier when it signed in (api_keys.tier never changes; the bootstrap key is admin).
  tier        text NOT NULL CHECK (tier IN ('api_key', 'premium', 'admin')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  CHECK (expires_at > created_at)
);

-- Sign-out everywhere for a key, and the janitor's sweep of expired rows.
CREATE INDEX web_sessions_key_idx ON web_sessions (key_id);
CREATE INDEX web_sessions_expires_idx ON web_sessions (expires_at);
