-- Near-duplicates across sources (lib/graph/duplicates, lib/db/near-duplicates-repo.ts), version 13:
-- each signal's fingerprint (its token set as hashes, compared exactly), its LSH band keys (how
-- candidates are found, by index lookup within a time window), and on the signal its duplicate
-- group and how many distinct sources report the story. The same_as edges themselves go to
-- signal_edges (migration 0009). Expand only: two nullable/defaulted columns and two new tables.
-- Runs inside one transaction opened by the runner: no BEGIN/COMMIT here.

-- The id of the group's earliest stored member (a label: it stays the group's id if retention
-- deletes that member); NULL for a signal no other source reports.
ALTER TABLE signals ADD COLUMN duplicate_group bigint;
-- Distinct sources in the signal's duplicate group (1 when it has none).
ALTER TABLE signals ADD COLUMN mention_count smallint NOT NULL DEFAULT 1 CHECK (mention_count >= 1);
-- A group's members, and the group's members when a merge relabels them.
CREATE INDEX signals_duplicate_group_idx ON signals (duplicate_group) WHERE duplicate_group IS NOT NULL;

CREATE TABLE signal_fingerprints (
  signal_id    bigint PRIMARY KEY REFERENCES signals (id) ON DELETE CASCADE,
  -- Distinct token hashes, ascending (lib/graph/duplicates/fingerprint.ts), at most 64.
  tokens       integer[] NOT NULL CHECK (cardinality(tokens) BETWEEN 1 AND 64),
  published_at timestamptz NOT NULL
);

-- One row per (band key, signal): a candidate is a signal sharing a band key with the new item,
-- published within the window, found by this primary key's index (band_key, published_at). Written
-- only for a new or changed fingerprint. No foreign key and no index by signal (each would cost the
-- ingest on 16 rows per signal, measured): a row of a deleted signal, or of an older text of a
-- re-harvested one, can only propose a candidate, which is then read through signal_fingerprints
-- (gone with its signal) and compared on the current tokens.
CREATE TABLE signal_lsh_bands (
  band_key     bigint NOT NULL,
  published_at timestamptz NOT NULL,
  signal_id    bigint NOT NULL,
  PRIMARY KEY (band_key, published_at, signal_id)
);
