-- Rankings that decay at read time (issue 13), version 4. A score that halves every H days is
-- base·2^(−(now − published)/H), so log2(score) = [log2(base) + published/H] − now/H: the bracket
-- is fixed per row and orders rows exactly as their scores do at any instant. It is stored as
-- `rank` (the feed's score, H = 1 day) and `discovery_rank` (artifacts' discovery score, H = 7
-- days); the API serves 2^(rank − now/H), capped at 100, and pages on the stored key, so keyset
-- cursors stay exact and index-backed while every served score falls with age.
-- Runs inside one transaction opened by the runner: no BEGIN/COMMIT here.

ALTER TABLE signals ADD COLUMN rank double precision;
ALTER TABLE signals ADD COLUMN discovery_rank double precision;

-- Existing rows: their scores were computed at their last upsert (updated_at), so that instant is
-- their clock. 1e-12 keeps log() defined for a 0 score (it is served as 0).
UPDATE signals SET
  rank = ln(greatest(score, 1e-12)) / ln(2) + extract(epoch FROM updated_at) / 86400,
  discovery_rank = CASE WHEN discovery_score IS NULL THEN NULL
                        ELSE ln(greatest(discovery_score, 1e-12)) / ln(2) + extract(epoch FROM updated_at) / 604800 END;
ALTER TABLE signals ALTER COLUMN rank SET NOT NULL;

-- The stored-score indexes give way to the rank keys (same shapes: sort=score with each filter).
DROP INDEX signals_score_idx;
DROP INDEX signals_source_idx;
DROP INDEX signals_kind_idx;
DROP INDEX signals_category_idx;
DROP INDEX signals_status_idx;
DROP INDEX signals_discovery_idx;
DROP INDEX signals_unnotified_idx;
CREATE INDEX signals_rank_idx           ON signals (rank DESC, id DESC);
CREATE INDEX signals_source_rank_idx    ON signals (source, rank DESC, id DESC);
CREATE INDEX signals_kind_rank_idx      ON signals (kind, rank DESC, id DESC);
CREATE INDEX signals_category_rank_idx  ON signals (category, rank DESC, id DESC);
CREATE INDEX signals_status_rank_idx    ON signals (status, rank DESC, id DESC);
CREATE INDEX signals_discovery_rank_idx ON signals (discovery_rank DESC, id DESC) WHERE discovery_rank IS NOT NULL;
CREATE INDEX signals_unnotified_rank_idx ON signals (rank DESC) WHERE notified_at IS NULL;
