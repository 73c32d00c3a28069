-- The identifiers each signal carries (lib/graph/identifiers/), version 12: what a signal is
-- (role 'self') and what it names ('subject', 'link', 'named', 'bare'), in the graph's identifier
-- syntax (lib/model/relationship.ts). A new signal's 'self' identifiers attach the pending edges
-- (signal_edges.to_signal_id NULL) that waited for it; an edge's target is found by its
-- identifier here. Expand only: a new table nothing else reads yet.
-- Runs inside one transaction opened by the runner: no BEGIN/COMMIT here.

CREATE TABLE signal_identifiers (
  signal_id  bigint NOT NULL REFERENCES signals (id) ON DELETE CASCADE,
  identifier text NOT NULL CHECK (identifier ~ '^(arxiv|doi|github|url):.+' AND length(identifier) <= 600),
  role       text NOT NULL CHECK (role IN ('self', 'subject', 'link', 'named', 'bare')),
  PRIMARY KEY (signal_id, identifier)
);

-- Which signals carry an identifier (the targets of edges naming it, what names a signal).
CREATE INDEX signal_identifiers_identifier_idx ON signal_identifiers (identifier, role);

-- The backfill's cursor over signals stored before extraction (lib/graph/backfill.ts) is a
-- job-owned row of source_cursors; nothing else is needed here.
