// The wrapper every scheduled function runs its work in, so each job reads as its own pipeline and
// none re-implements the rest: one run of a job at a time (a lock), a time budget from the
// Lambda's remaining time (the JobContext handed to the work: an AbortSignal, shouldStop(),
// remainingMs() and the run's logger), a job_runs row from start to finish, the job metrics, and a
// forced metrics push at the end — awaited, within the budget, whatever happened. A job's handler
// is `scheduledJob({ name, work, … })` (./scheduled-job.ts): `settleJob(await runJob(…))`.
//
// Outcomes: the work returns → succeeded (or what `outcome` says); it throws or overruns its
// budget → failed, with a short message (never a stack) in job_runs.error, the result and the log;
// another run holds the lock → skipped (reason `locked`), the work never called. A failed run is
// recorded first, then `settleJob` throws, so Lambda counts the invocation as an error, retries it
// (asynchronous invokes: twice, each retry a run of its own) and a DLQ or on-failure destination,
// once configured, receives it. A skipped run is not an error: retrying it would find the same lock.
import type { Context } from 'aws-lambda';
import { getDb } from '../db/client.js';
import type { FinishedStatus, RunOutcome } from '../db/job-runs-repo.js';
import type { Queryable } from '../db/types.js';
import { errorText } from '../log/error-text.js';
import { log, type Log } from '../log/index.js';
import { exceptionsUnhandled } from '../metrics/error-metrics.js';
import { jobRunsInProgress, recordJobRun } from '../metrics/job-metrics.js';
import { maybeFlush, SAFETY_MARGIN_MS, type FlushRequest, type FlushResult } from '../metrics/pushgateway.js';
import { ensureSecrets } from '../secrets.js';
import { startBudget, type Budget, type BudgetOptions } from './budget.js';
import type { JobContext } from '../model/job-context.js';
import { toDetails } from './details.js';
import { JobFailedError, JobTimeoutError } from './errors.js';
import { readJobEvent, type JobTrigger } from './event.js';
import { defaultJobLock, type JobLock, type LockHandle } from './lock.js';
import type { JobName } from './names.js';
import { createRunLedger, type RunLedger } from './run-ledger.js';

export type { JobContext } from '../model/job-context.js';

/** The lock outlives the Lambda's deadline by this much: Redis's clock and ours may differ a little. */
const LOCK_MARGIN_MS = 5_000;
/** Budget of one lock call (take, release), capped by the time left (see stepBudget). */
const LOCK_CALL_TIMEOUT_MS = 2_000;
/**
 * Budget of one job_runs write, capped by the time left (see stepBudget): the database's own
 * statement timeout (DB_STATEMENT_TIMEOUT_MS, 5 s), which also covers a Neon compute waking up.
 */
const RECORD_TIMEOUT_MS = 5_000;

/** How a returned result counts. */
export interface JobOutcome {
  status: FinishedStatus;
  /** Why: recorded in details for a skipped run, as the error of a failed one. */
  reason?: string;
}

export interface RunJobOptions<T> extends BudgetOptions {
  /**
   * The invocation's event. From `{"source":"admin","runId":…}` (POST /v1/admin/jobs/{name}) the
   * queued job_runs row is taken over instead of a new one written; the trigger (schedule, admin,
   * invoke) is recorded in details. Default: none (trigger `invoke`).
   */
  event?: unknown;
  /** How a returned result counts. Default: succeeded. */
  outcome?: (result: T) => JobOutcome;
  /**
   * The result as stored in job_runs.details and logged: a JSON object, at most 16 KB
   * (lib/jobs/details.ts). Default: the result itself (wrapped as `{result}` unless an object).
   */
  details?: (result: T) => Record<string, unknown>;
  /** The lock. Default: `defaultJobLock()` (Redis when Upstash is configured, else memory). */
  lock?: JobLock;
  /** The database job_runs lives in. Default: `getDb`. */
  db?: () => Promise<Queryable>;
  /** The forced metrics push at the end. Default: `maybeFlush` (lib/metrics/pushgateway.ts). */
  flush?: (request: FlushRequest) => Promise<FlushResult>;
}

/** What `runJob` resolves with (and a job's handler returns). */
export interface JobRunResult<T> {
  /** The job_runs id; null when the row could not be written. */
  runId: string | null;
  job: JobName;
  status: FinishedStatus;
  /** From the start of runJob to the outcome, ms. */
  durationMs: number;
  /** What the work returned, when it returned. */
  result?: T;
  /** A failed run's message: name and message only, bounded, credentials masked. */
  error?: string;
  /** Why a run was skipped (`locked`, or the work's own reason), or could not start (`lock_failed`). */
  reason?: string;
}

/** A run's outcome as runJob assembles it; `details` goes to job_runs and the log, `thrown` to the log. */
type Report<T> = Omit<JobRunResult<T>, 'job'> & { details?: Record<string, unknown>; thrown?: unknown };

/** What one run's steps share. */
interface RunScope {
  name: JobName;
  trigger: JobTrigger;
  /** The queued run named by the event, to take over. */
  requestedRunId: string | undefined;
  budget: Budget;
  log: Log;
  ledger: RunLedger;
  elapsedMs: () => number;
}

/**
 * The budget of one bookkeeping call (lock, job_runs write): at most `limitMs`, and at most half of
 * the time left before Lambda's deadline (less the push's safety margin), so the calls after it —
 * finally the metrics push — keep time of their own however little is left.
 */
function stepBudget(remainingMs: number, limitMs: number): number {
  return Math.max(1, Math.min(limitMs, Math.floor((remainingMs - SAFETY_MARGIN_MS) / 2)));
}

function lockCallSignal(budget: Budget): AbortSignal {
  return AbortSignal.timeout(stepBudget(budget.remainingMs(), LOCK_CALL_TIMEOUT_MS));
}

function asLoggable(thrown: unknown): Error | string {
  return thrown instanceof Error ? thrown : String(thrown);
}

/**
 * Runs one scheduled run of `name` (its serverless.yml function name): secrets, lock, job_runs
 * row, `work` within the time budget, outcome recorded, lock released, metrics recorded and
 * pushed. Never rejects for the work's failure (see the result's status); rejects only when the
 * secret cannot be loaded at all (SecretsError: nothing can be recorded without configuration).
 */
export async function runJob<T>(
  name: JobName,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
  work: (job: JobContext) => Promise<T>,
  options: RunJobOptions<T> = {},
): Promise<JobRunResult<T>> {
  const started = performance.now();
  const remaining = (): number => context.getRemainingTimeInMillis();
  // The secret may carry DATABASE_URL, the Upstash token or PUSHGATEWAY_URL: merged before they are read.
  await ensureSecrets();
  const { trigger, runId: requestedRunId } = readJobEvent(options.event);
  const jobLog = log.child({ function_name: name, job: name });
  const scope: RunScope = {
    name,
    trigger,
    requestedRunId,
    budget: startBudget(remaining, options),
    log: jobLog,
    ledger: createRunLedger({
      job: name,
      db: options.db ?? getDb,
      timeoutMs: () => stepBudget(remaining(), RECORD_TIMEOUT_MS),
      log: jobLog,
    }),
    elapsedMs: () => Math.round(performance.now() - started),
  };

  let report: Report<T>;
  try {
    let handle: LockHandle | undefined;
    let lockError: unknown;
    try {
      handle = await (options.lock ?? defaultJobLock()).acquire(name, remaining() + LOCK_MARGIN_MS, lockCallSignal(scope.budget));
    } catch (error) {
      lockError = error;
    }
    report = handle === undefined ? await notStarted<T>(scope, lockError) : await runWork(scope, handle, work, options);
  } finally {
    scope.budget.dispose();
  }

  recordJobRun(name, report.status, report.durationMs / 1000);
  const fields = { status: report.status, run_id: report.runId, trigger, duration_ms: report.durationMs };
  if (report.status === 'failed') jobLog.error('job failed', { ...fields, error: report.thrown === undefined ? report.error : asLoggable(report.thrown) });
  else if (report.status === 'skipped') jobLog.info('job skipped', { ...fields, reason: report.reason, details: report.details });
  else jobLog.info('job finished', { ...fields, details: report.details });
  await (options.flush ?? maybeFlush)({ functionName: name, remainingMs: remaining(), force: true });

  const { details: _details, thrown: _thrown, ...result } = report;
  return { ...result, job: name };
}

/** The lock is held by another run (skipped, `locked`) or could not be taken (failed): no work. */
async function notStarted<T>(scope: RunScope, lockError: unknown): Promise<Report<T>> {
  const durationMs = scope.elapsedMs();
  const reason = lockError === undefined ? 'locked' : 'lock_failed';
  const outcome: RunOutcome =
    lockError === undefined
      ? { status: 'skipped', durationMs, details: { trigger: scope.trigger, reason } }
      : { status: 'failed', durationMs, details: { trigger: scope.trigger, reason }, error: `lock unavailable: ${errorText(lockError)}` };
  const runId = await scope.ledger.end(scope.requestedRunId, outcome);
  return { ...outcome, runId, reason, ...(lockError === undefined ? {} : { thrown: lockError }) };
}

/** The lock is ours: start the row, run the work within the budget, finish the row, release the lock. */
async function runWork<T>(scope: RunScope, handle: LockHandle, work: (job: JobContext) => Promise<T>, options: RunJobOptions<T>): Promise<Report<T>> {
  const { budget } = scope;
  const runId = await scope.ledger.start(scope.requestedRunId, { trigger: scope.trigger, lock: handle.backend });
  const runLog = scope.log.child({ run_id: runId });
  const context: JobContext = {
    job: scope.name,
    runId,
    signal: budget.signal,
    shouldStop: budget.shouldStop,
    remainingMs: budget.workRemainingMs,
    log: runLog,
  };

  let report: Report<T>;
  let working: Promise<T> | undefined;
  let settled = false;
  jobRunsInProgress.inc({ job: scope.name });
  try {
    // A work that ignores its signal is given up on at the budget's end; it cannot hold the run.
    // Should it fail after that, its rejection must not go unhandled (that would crash the runtime).
    working = work(context);
    const markSettled = (): void => {
      settled = true;
    };
    working.then(markSettled, markSettled);
    const result = await Promise.race([working, budget.expired]);
    const outcome = options.outcome?.(result) ?? { status: 'succeeded' };
    const details = toDetails(options.details === undefined ? result : options.details(result));
    report = { runId, status: outcome.status, durationMs: scope.elapsedMs(), result, details };
    if (outcome.status === 'failed') report.error = errorText(outcome.reason ?? 'the job reported a failure');
    if (outcome.status === 'skipped' && outcome.reason !== undefined) {
      report.reason = outcome.reason;
      details.reason = outcome.reason;
    }
  } catch (thrown) {
    if (!(thrown instanceof JobTimeoutError)) exceptionsUnhandled.inc({ handler: 'job' });
    report = { runId, status: 'failed', durationMs: scope.elapsedMs(), error: errorText(thrown), thrown };
  } finally {
    jobRunsInProgress.dec({ job: scope.name });
  }

  await scope.ledger.finish(runId, { status: report.status, durationMs: report.durationMs, details: report.details, error: report.error });
  if (working !== undefined && !settled) {
    // The work was given up on but has not stopped: it may still write, post or fetch under this
    // lock, so the lock is released only once it settles (and a frozen container's expires by its
    // TTL), never now, when the next run could start beside it.
    runLog.warn('job lock kept until the abandoned work settles', { reason: 'work_still_running', backend: handle.backend });
    const release = (): Promise<void> => releaseLock(handle, runLog, AbortSignal.timeout(LOCK_CALL_TIMEOUT_MS));
    working.then(release, release).catch(() => undefined);
    return report;
  }
  await releaseLock(handle, runLog, lockCallSignal(budget));
  return report;
}

/** Releases the lock; a lock already expired or a failed release is logged, never thrown. */
async function releaseLock(handle: LockHandle, runLog: Log, signal: AbortSignal): Promise<void> {
  try {
    if (!(await handle.release(signal))) {
      runLog.warn('job lock had expired before the run ended', { reason: 'lock_expired', backend: handle.backend });
    }
  } catch (error) {
    // The lock expires with its TTL: the next run waits at most that long.
    runLog.warn('job lock not released', { reason: 'release_failed', backend: handle.backend, error: asLoggable(error) });
  }
}

/**
 * What a job's handler returns: the run's result, or, for a failed run (already recorded), a thrown
 * JobFailedError carrying its message, so Lambda counts the invocation as failed (see the top).
 */
export function settleJob<T>(result: JobRunResult<T>): JobRunResult<T> {
  if (result.status === 'failed') throw new JobFailedError(result.job, result.runId, result.error ?? 'unknown error');
  return result;
}
