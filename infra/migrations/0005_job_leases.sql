-- job_leases: the job lock's fallback when Redis cannot be reached (lib/jobs/lease-lock.ts), so two
-- containers never both run a job. One row per job; a run holds the lock while the row carries its
-- token and an expiry still in the future. Taken and released by single statements (an upsert
-- guarded by the expiry, a compare-and-delete), never a session advisory lock: those do not survive
-- a transaction-mode pooler such as Neon's. Expand only: the earlier code never reads it.
CREATE TABLE job_leases (
  job text PRIMARY KEY,
  -- The holder's random token: only the holder's release deletes the row.
  token uuid NOT NULL,
  expires_at timestamptz NOT NULL,
  acquired_at timestamptz NOT NULL DEFAULT now()
);
