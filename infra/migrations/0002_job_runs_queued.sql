-- job_runs gains the status `queued`: a run asked for through POST /v1/admin/jobs/{name} is written
-- before the job's Lambda is invoked asynchronously, and the job takes that row over (`running`)
-- when it starts. Expand only: every status the earlier code writes stays valid, so this can be
-- applied before the code that writes `queued` is deployed.
ALTER TABLE job_runs DROP CONSTRAINT job_runs_status_check;
ALTER TABLE job_runs ADD CONSTRAINT job_runs_status_check
  CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'skipped'));

-- GET /v1/admin/jobs?job=…: one job's runs newest first, keyset-paged by id.
CREATE INDEX job_runs_job_id_idx ON job_runs (job, id DESC);
