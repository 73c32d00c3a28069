-- The delivery outbox (lib/db/delivery-outbox-repo.ts), version 8: one row per (watch, signal,
-- channel) to deliver, swept by a scheduled job. Postgres is the queue: the unique key makes each
-- (watch, signal) delivered at most once on success, FOR UPDATE SKIP LOCKED lets sweeps overlap
-- without sending anything twice, and a claimed row's lease (next_attempt_at) brings it back if a
-- sweep dies between sending and recording. Expand only: a new table nothing else reads yet.
-- Runs inside one transaction opened by the runner: no BEGIN/COMMIT here.

CREATE TABLE delivery_outbox (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  watch_id        bigint NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
  signal_id       bigint NOT NULL REFERENCES signals (id) ON DELETE CASCADE,
  channel         text NOT NULL CHECK (channel IN ('webhook')),
  -- The Standard Webhooks `webhook-id`: the same on every retry, the receivers' idempotency key.
  message_id      text NOT NULL UNIQUE CHECK (message_id ~ '^msg_[A-Za-z0-9_-]{1,64}$'),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text CHECK (length(last_error) <= 1000),
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz,
  CONSTRAINT delivery_outbox_once UNIQUE (watch_id, signal_id, channel)
);

-- The sweep: pending rows that are due, oldest first. Also the outbox depth and oldest age.
CREATE INDEX delivery_outbox_due_idx ON delivery_outbox (next_attempt_at, id) WHERE status = 'pending';
-- GET /v1/watches/{id}/deliveries: one watch's deliveries, newest first.
CREATE INDEX delivery_outbox_watch_idx ON delivery_outbox (watch_id, id DESC);
