// A run's job_runs row, written fail-open: the row is the admin's view of the run, not the run
// itself, so a database that is down or slow must not stop a job whose work does not need it (the
// janitor keeps the Pushgateway bounded during a database outage). Every write has a time budget;
// one that fails or runs out is logged, counted (`job_run_record_failures_total`) and skipped, and
// the run goes on with `runId` null. Jobs that do need the database fail in their own work.
import {
  claimQueuedJobRun,
  createFinishedJobRun,
  createJobRun,
  finishJobRun,
  type JobRun,
  type RunOutcome,
} from '../db/job-runs-repo.js';
import type { Queryable } from '../db/types.js';
import type { Log } from '../log/index.js';
import { JobTimeoutError } from './errors.js';
import { jobRunRecordFailures } from './metrics.js';

export interface RunLedgerOptions {
  job: string;
  /** The database, opened on first use. */
  db: () => Promise<Queryable>;
  /** Budget of one write, ms, asked for when the write starts (it shrinks with the time left). */
  timeoutMs: () => number;
  log: Log;
}

export interface RunLedger {
  /**
   * Writes the start of a run: takes over the queued run `requestedRunId` when given and still
   * queued, else inserts a running row (noting the requested id that could not be taken).
   * Resolves the run's id, or null when nothing could be written.
   */
  start(requestedRunId: string | undefined, details: Record<string, unknown>): Promise<string | null>;
  /** Writes a run that ended before it started (lock held): the queued row when given, else a new one. */
  end(requestedRunId: string | undefined, outcome: RunOutcome): Promise<string | null>;
  /** Finishes the run `runId` (no-op for null). */
  finish(runId: string | null, outcome: RunOutcome): Promise<void>;
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new JobTimeoutError(`job_runs write took longer than ${String(timeoutMs)} ms`)), timeoutMs);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

export function createRunLedger(options: RunLedgerOptions): RunLedger {
  const { job } = options;

  async function attempt<T>(step: 'start' | 'finish', write: (db: Queryable) => Promise<T>): Promise<T | undefined> {
    const work = options.db().then(write);
    // A write abandoned on its budget may still fail later: that must not be an unhandled rejection.
    work.catch(() => undefined);
    try {
      return await withTimeout(work, options.timeoutMs());
    } catch (error) {
      jobRunRecordFailures.inc({ job, step });
      options.log.warn('job run not recorded', { job, step, reason: 'record_failed', error: error instanceof Error ? error : String(error) });
      return undefined;
    }
  }

  return {
    async start(requestedRunId, details) {
      const run = await attempt('start', async (db): Promise<JobRun> => {
        if (requestedRunId !== undefined) {
          const claimed = await claimQueuedJobRun(db, requestedRunId, job, details);
          if (claimed !== undefined) return claimed;
        }
        const extra = requestedRunId === undefined ? {} : { requested_run_id: requestedRunId };
        return createJobRun(db, { job, status: 'running', details: { ...details, ...extra } });
      });
      return run?.id ?? null;
    },

    async end(requestedRunId, outcome) {
      const run = await attempt('finish', async (db): Promise<JobRun> => {
        // Taken over first, so only a queued run of this job is ever finished here.
        const claimed = requestedRunId === undefined ? undefined : await claimQueuedJobRun(db, requestedRunId, job);
        const finished = claimed === undefined ? undefined : await finishJobRun(db, claimed.id, outcome);
        return finished ?? createFinishedJobRun(db, job, outcome);
      });
      return run?.id ?? null;
    },

    async finish(runId, outcome) {
      if (runId === null) return;
      await attempt('finish', (db) => finishJobRun(db, runId, outcome));
    },
  };
}
