-- Topic evolution (lib/harvest/topics/, scheduled/evolve-topics.ts, functions/topics.ts), version 3.
-- Expand only: one nullable column and two indexes, so code that knows nothing of them still runs.
-- Runs inside one transaction opened by the runner: no BEGIN/COMMIT here.

-- An emergent topic's centroid: the normalised mean text vector (lib/harvest/topics/vectors.ts,
-- 256 float4) of the signals it emerged with, fixed at creation, so every later run compares new
-- signals with the same reference and a rerun assigns exactly what the first run did. NULL for
-- taxonomy topics, which match by keywords only.
ALTER TABLE topics ADD COLUMN centroid real[] CHECK (centroid IS NULL OR cardinality(centroid) > 0);

-- GET /v1/topics/{id}/events: one topic's events, newest first, keyset-paged on (occurred_on, id).
CREATE INDEX topic_events_topic_idx ON topic_events (topic_id, occurred_on DESC, id DESC);

-- GET /v1/topics/{id}: the topics merged into this one.
CREATE INDEX topics_merged_into_idx ON topics (merged_into) WHERE merged_into IS NOT NULL;
