-- Webhook endpoints (lib/db/webhook-endpoints-repo.ts), version 10: at most one per watch, its
-- signing secret encrypted at rest (AES-256-GCM, lib/delivery/webhooks/secret-box.ts; the key comes
-- from the app's secret, never from this database), plus the previous secret while a rotation's
-- overlap lasts. And one enqueue cursor per (watch, channel) for the deliver job's sweep.
-- Expand only: new tables nothing else reads yet. Runs inside one transaction opened by the runner.

CREATE TABLE webhook_endpoints (
  watch_id                  bigint PRIMARY KEY REFERENCES watches (id) ON DELETE CASCADE,
  -- https:// outside the local stage (checked by the API with the resolved address); http:// is
  -- accepted here only so a local receiver can be used with `npm start`.
  url                       text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2048),
  -- `v1:<iv>:<tag>:<ciphertext>` (base64url) of the `whsec_…` secret, bound to watch_id (AAD).
  secret_ciphertext         text NOT NULL CHECK (secret_ciphertext LIKE 'v1:%' AND length(secret_ciphertext) <= 1000),
  -- First characters of the secret, for GET (the secret itself is shown once).
  secret_prefix             text NOT NULL CHECK (length(secret_prefix) BETWEEN 1 AND 32),
  -- The secret before the last rotation: it still signs (beside the current) until it expires.
  previous_secret_ciphertext text CHECK (previous_secret_ciphertext LIKE 'v1:%' AND length(previous_secret_ciphertext) <= 1000),
  previous_expires_at       timestamptz,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT webhook_endpoints_previous CHECK ((previous_secret_ciphertext IS NULL) = (previous_expires_at IS NULL))
);

-- Where the sweep's enqueue step stands per (watch, channel): signals harvested (fetched_at) after
-- this, less an overlap that covers ingest transactions still open, are looked at next; the
-- outbox's unique key makes looking twice harmless. Channel is free text (a channel added later
-- needs no change here).
CREATE TABLE delivery_cursors (
  watch_id       bigint NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
  channel        text NOT NULL CHECK (channel ~ '^[a-z_]{1,32}$'),
  enqueued_until timestamptz NOT NULL DEFAULT now(),
  -- Nothing harvested before this is enqueued (an endpoint added today does not get the back catalogue).
  starts_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (watch_id, channel)
);

-- The enqueue step takes the watches that waited longest first.
CREATE INDEX delivery_cursors_due_idx ON delivery_cursors (channel, enqueued_until);
