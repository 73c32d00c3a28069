-- The near-duplicate detector's read and write paths made cheap per batch (lib/db/near-duplicates-repo.ts),
-- version 16. Measured on `npm run bench -- ingest` (20,000 items, 40 batches): see the commits.
-- Runs inside one transaction opened by the runner: no BEGIN/COMMIT here.

-- The stored candidates sharing a band key: the latest `per_key` of each probe's key within its
-- window. As a plain statement the planner, estimating a handful of rows per key (always so on a
-- young table, before ANALYZE), read every row of a key by bitmap scan and sorted them: a key shared
-- by thousands of signals cost thousands of heap visits per batch. Walking the primary key backward
-- stops after `per_key` entries whatever the key's size, so bitmap and sequential scans are off
-- for this function's statement only. Ties on published_at go to the higher signal id (the index order).
CREATE FUNCTION lsh_band_hits(keys bigint[], from_ms double precision[], to_ms double precision[], per_key integer)
RETURNS TABLE (signal_id bigint)
LANGUAGE sql STABLE
-- Hundreds, not the default thousand: the planner then reads each hit's fingerprint and signal by
-- primary key instead of hashing both tables whole.
ROWS 100
SET enable_bitmapscan = off
SET enable_seqscan = off
AS $$
  SELECT DISTINCT b.signal_id
  -- Windows as epoch ms (a probe per key of a batch: thousands, cheaper as numbers than as text).
  FROM unnest(keys, from_ms, to_ms) AS p(key, from_ms, to_ms)
  CROSS JOIN LATERAL (
    SELECT l.signal_id FROM signal_lsh_bands l
    WHERE l.band_key = p.key AND l.published_at BETWEEN to_timestamp(p.from_ms / 1000) AND to_timestamp(p.to_ms / 1000)
    ORDER BY l.published_at DESC, l.signal_id DESC
    LIMIT per_key
  ) b
$$;

-- A duplicate group's members by group, with their mention count and source: the sources of a
-- group are read by skipping from one (mention_count, source) pair to the next (a handful of index
-- probes, not one row per member: a story reposted thousands of times is one group), and the members
-- whose mention_count is stale are two index ranges. Replaces the index on duplicate_group alone
-- (same leading column: the members of a group, a merge's relabelling). Partial, so the ingest's
-- upsert of a signal outside any group writes no entry.
DROP INDEX signals_duplicate_group_idx;
CREATE INDEX signals_duplicate_group_idx ON signals (duplicate_group, mention_count, source) WHERE duplicate_group IS NOT NULL;

-- The distinct sources of each of `groups` (a group absent or empty has no row): a loose index scan
-- over signals_duplicate_group_idx, one probe per distinct (mention_count, source) of a group, so a
-- group of thousands costs as much as a group of three. Bitmap and sequential scans are off for the
-- same reason as above (they would read every member to find the first).
CREATE FUNCTION duplicate_group_sources(groups bigint[])
RETURNS TABLE (grp bigint, source text)
LANGUAGE sql STABLE
SET enable_bitmapscan = off
SET enable_seqscan = off
AS $$
  WITH RECURSIVE walk AS (
    SELECT g.grp, first.mention_count, first.source
    FROM unnest(groups) AS g(grp)
    CROSS JOIN LATERAL (
      SELECT s.mention_count, s.source FROM signals s
      WHERE s.duplicate_group = g.grp
      ORDER BY s.mention_count, s.source LIMIT 1
    ) first
    UNION ALL
    SELECT w.grp, next.mention_count, next.source
    FROM walk w
    CROSS JOIN LATERAL (
      SELECT s.mention_count, s.source FROM signals s
      WHERE s.duplicate_group = w.grp AND (s.mention_count, s.source) > (w.mention_count, w.source)
      ORDER BY s.mention_count, s.source LIMIT 1
    ) next
  )
  SELECT DISTINCT walk.grp, walk.source FROM walk
$$;

-- Moves signals into duplicate groups and sets every touched group's mention_count, in one UPDATE
-- that writes each changed signal once (lib/db/near-duplicates-repo.ts moveToGroups says what moves).
-- Before, a moved signal was written twice (its group, then its count: two new row versions, each
-- with an entry in every index of signals) and every member of a touched group was read to count
-- sources and find stale counts: on the ingest bench's 15,000-member group, 250 ms per batch.
-- Now: a group's sources are those of its members before (duplicate_group_sources) and of the
-- signals joining it (every member of a group that merges into another moves with it, so no member
-- leaves a group that stays), and only members whose count differs are read (two index ranges).
-- `moves` is [{"id": "…", "group": "…"}]; returns how many signals changed group. The plan is fixed
-- to index lookups: the planner, guessing a hundred moves and ~half the table per group on a young
-- table, hashed the whole of signals four times.
CREATE FUNCTION move_to_duplicate_groups(moves jsonb)
RETURNS integer
LANGUAGE sql VOLATILE
SET enable_seqscan = off
SET enable_bitmapscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
  WITH moves AS (
    SELECT m.id::bigint AS id, m."group"::bigint AS grp FROM jsonb_to_recordset(moves) AS m(id text, "group" text)
  ), targets AS (
    -- The moved signals, and the members of a group whose root moved.
    SELECT id, grp FROM moves
    UNION
    SELECT s.id, m.grp FROM moves m JOIN signals s ON s.duplicate_group = m.id
  ), joining AS (
    SELECT s.id, t.grp, s.source, s.duplicate_group AS was FROM targets t JOIN signals s ON s.id = t.id
  ), counts AS (
    SELECT sources.grp, count(DISTINCT sources.source)::smallint AS n FROM (
      SELECT j.grp, j.source FROM joining j
      UNION ALL
      SELECT g.grp, g.source FROM duplicate_group_sources(ARRAY(SELECT DISTINCT grp FROM moves)) g
    ) sources GROUP BY sources.grp
  ), changes AS (
    SELECT j.id, j.grp, c.n, j.was FROM joining j JOIN counts c ON c.grp = j.grp
    UNION
    SELECT s.id, c.grp, c.n, s.duplicate_group FROM counts c JOIN signals s ON s.duplicate_group = c.grp AND s.mention_count < c.n
    UNION
    SELECT s.id, c.grp, c.n, s.duplicate_group FROM counts c JOIN signals s ON s.duplicate_group = c.grp AND s.mention_count > c.n
  ), updated AS (
    UPDATE signals s SET duplicate_group = c.grp, mention_count = c.n
    FROM changes c
    WHERE s.id = c.id AND (s.duplicate_group IS DISTINCT FROM c.grp OR s.mention_count <> c.n)
    RETURNING c.was IS DISTINCT FROM c.grp AS regrouped
  )
  SELECT (count(*) FILTER (WHERE regrouped))::integer FROM updated
$$;
