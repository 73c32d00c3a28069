-- The knowledge graph's edges (lib/graph/, lib/db/signal-edges-repo.ts), version 9: typed,
-- directed relationships between signals, each with a confidence and its evidence. An edge to an
-- artifact not harvested yet is kept against the identifier that names it (to_signal_id NULL,
-- "pending") and attached when a signal with that identifier arrives. The unique key makes a rerun
-- add nothing. Expand only: a new table nothing else reads yet.
-- Runs inside one transaction opened by the runner: no BEGIN/COMMIT here.

CREATE TABLE signal_edges (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  from_signal_id bigint NOT NULL REFERENCES signals (id) ON DELETE CASCADE,
  -- NULL while pending: nothing stored carries to_identifier yet.
  to_signal_id   bigint REFERENCES signals (id) ON DELETE CASCADE,
  -- What the edge points at, in the graph's identifier syntax (lib/model/relationship.ts):
  -- 'arxiv:2401.01234', 'doi:10.1000/xyz', 'github:owner/repo', 'url:https://…', 'signal:123'.
  to_identifier  text NOT NULL CHECK (to_identifier ~ '^(arxiv|doi|github|url|signal):.+' AND length(to_identifier) <= 600),
  type           text NOT NULL CHECK (type IN ('cites', 'implements', 'discusses', 'same_as', 'mentions')),
  confidence     real NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  -- Why the edge exists: { "identifier": "arxiv:…" } or { "similarity": 0.93, "method": "simhash" }.
  evidence       jsonb NOT NULL CHECK (jsonb_typeof(evidence) = 'object'),
  created_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT signal_edges_once UNIQUE (from_signal_id, type, to_identifier),
  CONSTRAINT signal_edges_no_self CHECK (to_signal_id IS NULL OR to_signal_id <> from_signal_id)
);

-- Outgoing and incoming edges of a signal (related, graph traversal in both directions).
CREATE INDEX signal_edges_to_idx ON signal_edges (to_signal_id) WHERE to_signal_id IS NOT NULL;
-- Pending edges waiting for their artifact, found by identifier when it arrives.
CREATE INDEX signal_edges_pending_idx ON signal_edges (to_identifier) WHERE to_signal_id IS NULL;
