-- Watch delivery settings, Slack per watch and digests (lib/delivery/digests/, lib/delivery/slack/,
-- lib/db/watch-delivery-repo.ts, lib/db/watch-digests-repo.ts), version 11. Expand only: new
-- columns with defaults, new tables, and a CHECK widened. Runs inside one transaction opened by the
-- runner: no BEGIN/COMMIT here.

-- How a watch delivers: each item as it arrives (the outbox, per signal), or one digest a day or a
-- week of its top `digest_size` new items by score. Feeds are unaffected by either.
ALTER TABLE watches
  ADD COLUMN delivery_mode text NOT NULL DEFAULT 'item' CHECK (delivery_mode IN ('item', 'daily', 'weekly')),
  -- Slack shows at most 50 blocks per message, one of them the header.
  ADD COLUMN digest_size smallint NOT NULL DEFAULT 10 CHECK (digest_size BETWEEN 1 AND 49);

-- A watch's own Slack incoming webhook, beside (never instead of) the run-level SLACK_WEBHOOK_URL.
-- The URL is a credential: stored sealed (see lib/delivery/slack/slack-url.ts), shown only as a hint.
CREATE TABLE watch_slack (
  watch_id   bigint PRIMARY KEY REFERENCES watches (id) ON DELETE CASCADE,
  url_sealed text NOT NULL CHECK (length(url_sealed) BETWEEN 1 AND 4000),
  -- `hooks.slack.com/services/T0…/…wxyz`: enough to recognise it, never enough to post to it.
  url_hint   text NOT NULL CHECK (length(url_hint) BETWEEN 1 AND 100),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Per-item Slack messages go through the outbox like webhooks.
ALTER TABLE delivery_outbox DROP CONSTRAINT delivery_outbox_channel_check;
ALTER TABLE delivery_outbox ADD CONSTRAINT delivery_outbox_channel_check CHECK (channel IN ('webhook', 'slack'));

-- One digest per (watch, channel, period): the unique key makes building it twice (overlapping
-- runs) impossible. The body is built once and stored, so every retry sends the same bytes under
-- the same message id (the receivers' idempotency key); claimed, retried and given up like the
-- outbox's rows.
CREATE TABLE watch_digests (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  watch_id        bigint NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
  channel         text NOT NULL CHECK (channel IN ('webhook', 'slack')),
  period          text NOT NULL CHECK (period IN ('daily', 'weekly')),
  -- Signals harvested in (period_start, period_end] were candidates.
  period_start    timestamptz NOT NULL,
  period_end      timestamptz NOT NULL,
  message_id      text NOT NULL UNIQUE CHECK (message_id ~ '^msg_[A-Za-z0-9_-]{1,64}$'),
  -- The exact body sent on every attempt (JSON: the webhook payload, or the Slack message).
  body            text NOT NULL CHECK (length(body) <= 1000000),
  items           integer NOT NULL CHECK (items >= 0),
  -- 'empty': nothing new in the period, nothing sent; recorded so the period is not built again.
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'empty')),
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text CHECK (length(last_error) <= 1000),
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz,
  CONSTRAINT watch_digests_period CHECK (period_start < period_end),
  CONSTRAINT watch_digests_once UNIQUE (watch_id, channel, period_end)
);

-- The sweep: pending digests that are due, oldest first.
CREATE INDEX watch_digests_due_idx ON watch_digests (next_attempt_at, id) WHERE status = 'pending';
-- The last digest of a (watch, channel), and GET /v1/watches/{id}/digests, newest first.
CREATE INDEX watch_digests_watch_idx ON watch_digests (watch_id, channel, period_end DESC);

-- Which signals a (watch, channel)'s digests have carried: the primary key makes "nothing repeated
-- across digests" a constraint, not a hope (a signal re-harvested into a later window is skipped).
CREATE TABLE watch_digest_items (
  watch_id  bigint NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
  channel   text NOT NULL,
  signal_id bigint NOT NULL REFERENCES signals (id) ON DELETE CASCADE,
  digest_id bigint NOT NULL REFERENCES watch_digests (id) ON DELETE CASCADE,
  PRIMARY KEY (watch_id, channel, signal_id)
);
