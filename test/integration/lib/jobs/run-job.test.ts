// runJob against the real services: job_runs on both drivers, the lock in the real Redis (through
// the Upstash REST bridge, under a random prefix), the Lambda context of the local runtime. One
// run of a job at a time, jobs independent, an expired lock taken over; the time budget seen from
// inside the work (shouldStop, the signal) and from outside (runJob returns before the deadline,
// whatever the work does); failures recorded as a message, counted, logged without a stack; an
// admin's queued run taken over; and a run that goes on when job_runs cannot be written.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLambdaContext } from '../../../../infra/local/lambda-context.js';
import { buildScheduledEvent } from '../../../../infra/local/scheduled-event.js';
import { createJobRun, getJobRun, type JobRun } from '../../../../lib/db/job-runs-repo.js';
import type { Db } from '../../../../lib/db/types.js';
import { runJob, settleJob, type JobContext, type RunJobOptions } from '../../../../lib/jobs/run-job.js';
import { errorText } from '../../../../lib/log/error-text.js';
import { JobFailedError, JobTimeoutError } from '../../../../lib/jobs/errors.js';
import { readJobEvent } from '../../../../lib/jobs/event.js';
import { createRedisLock, type JobLock } from '../../../../lib/jobs/lock.js';
import { jobRunRecordFailures } from '../../../../lib/jobs/metrics.js';
import { clearSecretValues, registerSecretValue } from '../../../../lib/log/index.js';
import { jobRuns } from '../../../../lib/metrics/job-metrics.js';
import { maybeFlush, type FlushRequest } from '../../../../lib/metrics/pushgateway.js';
import { captureLogLines } from '../../../support/capture-log.js';
import { closeDatabases, DRIVERS, type TestDatabase } from '../../../support/databases.js';
import { valueOf } from '../../../support/metric-values.js';
import { useRedisBridge } from '../../../support/redis-bridge.js';

const prefix = `test:run-job:${randomUUID()}:`;

const bridged = useRedisBridge(prefix);
const opened: TestDatabase[] = [];

afterAll(async () => {
  await Promise.all(opened.map((database) => database.dispose()));
  await closeDatabases();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** A Lambda context whose deadline is `ms` from now, as the local runtime builds it. */
function lambdaContext(ms: number): Context & { deadline: number } {
  const context = createLambdaContext({ functionName: 'signal-harvester-test-job', timeoutSeconds: ms / 1000, memorySize: 1024, region: 'us-east-1' });
  return { ...context, deadline: Date.now() + context.getRemainingTimeInMillis() };
}

const scheduled = buildScheduledEvent({ region: 'us-east-1', functionName: 'signal-harvester-test-job' });

describe.each(DRIVERS)('runJob with job_runs on $driver', ({ create }) => {
  let db: Db;
  let lock: JobLock;
  let flushes: FlushRequest[];

  beforeAll(async () => {
    const database = await create();
    opened.push(database);
    db = database.db;
    lock = createRedisLock({ redis: bridged.rest(), prefix });
  });

  /** The real database and Redis lock of this suite; the real (unconfigured) push, recorded. */
  function withServices<T>(extra: RunJobOptions<T> = {}): RunJobOptions<T> {
    flushes = [];
    return {
      db: () => Promise.resolve(db),
      lock,
      flush: (request) => {
        flushes.push(request);
        return maybeFlush(request);
      },
      event: scheduled,
      ...extra,
    };
  }

  async function row(runId: string | null): Promise<JobRun | undefined> {
    return getJobRun(db, runId ?? '');
  }

  it('runs the work once and records the run from running to succeeded, counted and pushed at the end', async () => {
    // Prepare
    const before = await valueOf(jobRuns, { job: 'discover', status: 'succeeded' });
    let during: JobRun | undefined;
    let handed: JobContext | undefined;
    const work = async (job: JobContext): Promise<{ pages: number }> => {
      handed = job;
      during = await row(job.runId);
      return { pages: 2 };
    };

    // Act
    const result = await runJob('discover', lambdaContext(10_000), work, withServices());

    // Assess: the result
    expect(result).toEqual({ runId: expect.stringMatching(/^[1-9][0-9]*$/) as unknown, job: 'discover', status: 'succeeded', durationMs: expect.any(Number) as unknown, result: { pages: 2 } });
    expect(handed).toMatchObject({ job: 'discover', runId: result.runId });
    expect(handed?.signal.aborted).toBe(false);
    // … the row, running while the work ran, then finished with the work's result as details
    expect(during).toMatchObject({ status: 'running', details: { trigger: 'schedule', lock: 'redis' }, finishedAt: null });
    expect(await row(result.runId)).toMatchObject({
      job: 'discover',
      status: 'succeeded',
      durationMs: result.durationMs,
      details: { trigger: 'schedule', lock: 'redis', pages: 2 },
      error: null,
      finishedAt: expect.any(Date) as unknown,
    });
    // … the metric, and one forced push with the time that was left
    expect(await valueOf(jobRuns, { job: 'discover', status: 'succeeded' })).toBe(before + 1);
    expect(flushes).toEqual([{ functionName: 'discover', force: true, remainingMs: expect.any(Number) as unknown }]);
    expect(flushes[0]?.remainingMs).toBeGreaterThan(10_000 - result.durationMs - 1_000);
    // … and the lock is free again
    expect(await bridged.direct.exists(`${prefix}discover`)).toBe(0);
    expect(settleJob(result)).toBe(result);
  });

  it('runs one of two overlapping runs of a job; the other is skipped as locked and its work never called', async () => {
    // Prepare
    const before = await valueOf(jobRuns, { job: 'janitor', status: 'skipped' });
    let calls = 0;
    const work = async (): Promise<string> => {
      calls += 1;
      await sleep(300);
      return 'swept';
    };

    // Act
    const results = await Promise.all([
      runJob('janitor', lambdaContext(10_000), work, withServices()),
      runJob('janitor', lambdaContext(10_000), work, withServices()),
    ]);

    // Assess
    expect(calls).toBe(1);
    expect(results.map((result) => result.status).sort()).toEqual(['skipped', 'succeeded']);
    const skipped = results.find((result) => result.status === 'skipped');
    expect(skipped).toMatchObject({ job: 'janitor', reason: 'locked' });
    expect(skipped?.result).toBeUndefined();
    expect(await row(skipped?.runId ?? null)).toMatchObject({ status: 'skipped', details: { trigger: 'schedule', reason: 'locked' }, error: null });
    expect(await valueOf(jobRuns, { job: 'janitor', status: 'skipped' })).toBe(before + 1);
    expect(settleJob(skipped ?? results[0]).status).toBe('skipped');
  });

  it('runs different jobs at the same time', async () => {
    let running = 0;
    let most = 0;
    const work = async (): Promise<void> => {
      running += 1;
      most = Math.max(most, running);
      await sleep(200);
      running -= 1;
    };

    const results = await Promise.all([
      runJob('janitor', lambdaContext(10_000), work, withServices()),
      runJob('evolve-topics', lambdaContext(10_000), work, withServices()),
    ]);

    expect(results.map((result) => result.status)).toEqual(['succeeded', 'succeeded']);
    expect(most).toBe(2);
  });

  it('takes the lock over from a crashed run once its TTL has passed', async () => {
    // Prepare: a run that took the lock and died without releasing it
    await lock.acquire('evolve-topics', 250);
    const work = (): Promise<string> => Promise.resolve('done');

    // Act
    const whileHeld = await runJob('evolve-topics', lambdaContext(10_000), work, withServices());
    await sleep(300);
    const afterTtl = await runJob('evolve-topics', lambdaContext(10_000), work, withServices());

    // Assess
    expect(whileHeld).toMatchObject({ status: 'skipped', reason: 'locked' });
    expect(afterTtl).toMatchObject({ status: 'succeeded', result: 'done' });
  });

  it('records a failing work as failed with its message, no stack; counts and logs it; settleJob then throws', async () => {
    // Prepare
    const errors = captureLogLines('ERROR');
    const before = await valueOf(jobRuns, { job: 'discover', status: 'failed' });
    const work = (): Promise<never> => Promise.reject(new Error('upstream refused', { cause: new TypeError('fetch failed') }));

    // Act
    const result = await runJob('discover', lambdaContext(10_000), work, withServices());

    // Assess: the result and the row carry the message and its cause, never a stack
    const expected = 'upstream refused (cause: TypeError: fetch failed)';
    expect(result).toMatchObject({ job: 'discover', status: 'failed', error: expected });
    expect(result.result).toBeUndefined();
    expect(await row(result.runId)).toMatchObject({ status: 'failed', error: expected, details: { trigger: 'schedule', lock: 'redis' } });
    expect(await valueOf(jobRuns, { job: 'discover', status: 'failed' })).toBe(before + 1);
    // … one error line, the error described without a stack
    const lines = errors().filter((line) => line.message === 'job failed');
    expect(lines).toEqual([expect.objectContaining({ job: 'discover', run_id: result.runId, status: 'failed' })]);
    expect(JSON.stringify(lines)).not.toMatch(/stack|\s+at\s/);
    // … and the handler's throw names the run, with no stack beyond its message
    expect(() => settleJob(result)).toThrow(JobFailedError);
    expect(() => settleJob(result)).toThrow(`job discover failed (run ${String(result.runId)}): ${expected}`);
    try {
      settleJob(result);
    } catch (error) {
      expect((error as Error).stack).toBe(`JobFailedError: ${(error as Error).message}`);
    }
  });

  it('masks a secret value in the stored error', async () => {
    const secret = `sk-${randomUUID()}`;
    registerSecretValue(secret);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);

    const result = await runJob('discover', lambdaContext(10_000), () => Promise.reject(new Error(`the API refused key ${secret}`)), withServices());

    clearSecretValues();
    expect(result.error).toBe('the API refused key [REDACTED]');
    expect((await row(result.runId))?.error).toBe('the API refused key [REDACTED]');
  });

  it('counts the outcome the job reports: skipped with its reason, failed with its reason', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const outcome = (result: { missing?: string; broken?: number }): { status: 'skipped' | 'failed' | 'succeeded'; reason?: string } => {
      if (result.missing !== undefined) return { status: 'skipped', reason: result.missing };
      return result.broken === undefined ? { status: 'succeeded' } : { status: 'failed', reason: `${String(result.broken)} items broken` };
    };

    const skipped = await runJob('janitor', lambdaContext(10_000), () => Promise.resolve({ missing: 'no_pushgateway' }), withServices({ outcome }));
    const failed = await runJob('janitor', lambdaContext(10_000), () => Promise.resolve({ broken: 2 }), withServices({ outcome }));

    expect(skipped).toMatchObject({ status: 'skipped', reason: 'no_pushgateway', result: { missing: 'no_pushgateway' } });
    expect(await row(skipped.runId)).toMatchObject({ status: 'skipped', details: { reason: 'no_pushgateway', missing: 'no_pushgateway' } });
    expect(failed).toMatchObject({ status: 'failed', error: '2 items broken', result: { broken: 2 } });
    expect(await row(failed.runId)).toMatchObject({ status: 'failed', error: '2 items broken', details: { broken: 2 } });
  });

  it('stops a cooperative work early: shouldStop() turns true before the signal aborts, and the run succeeds', async () => {
    // Prepare: 2 s left, 400 ms reserve, stop below half the time
    const context = lambdaContext(2_000);
    let pages = 0;
    let remainingAtStop = 0;
    let abortedAtStop = true;
    const work = async (job: JobContext): Promise<{ pages: number }> => {
      while (!job.shouldStop()) {
        pages += 1;
        await sleep(20);
      }
      remainingAtStop = context.getRemainingTimeInMillis();
      abortedAtStop = job.signal.aborted;
      return { pages };
    };

    // Act
    const result = await runJob('discover', context, work, withServices({ reserveMs: 400, stopFraction: 0.5 }));

    // Assess
    expect(result).toMatchObject({ status: 'succeeded', result: { pages } });
    expect(pages).toBeGreaterThan(10);
    expect(remainingAtStop).toBeLessThanOrEqual(1_000);
    expect(remainingAtStop).toBeGreaterThan(400);
    expect(abortedAtStop).toBe(false);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(400);
    expect(await row(result.runId)).toMatchObject({ status: 'succeeded', details: { pages } });
  });

  it('aborts the signal before the deadline of a short budget, and still finishes the row', async () => {
    // Prepare: a little over a second left, default options; the work waits on its signal only
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const context = lambdaContext(1_200);
    let remainingAtAbort = -1;
    let reason: unknown;
    let stopping = false;
    const work = async (job: JobContext): Promise<never> => {
      await new Promise((resolve) => job.signal.addEventListener('abort', resolve, { once: true }));
      remainingAtAbort = context.getRemainingTimeInMillis();
      reason = job.signal.reason;
      stopping = job.shouldStop();
      throw job.signal.reason;
    };

    // Act
    const result = await runJob('discover', context, work, withServices());

    // Assess: aborted with time to spare (half of 1.2 s is the reserve), the run failed and recorded
    expect(remainingAtAbort).toBeGreaterThan(300);
    // (+5 ms: a timer may fire a millisecond before Date.now() says its delay has passed)
    expect(remainingAtAbort).toBeLessThanOrEqual(605);
    expect(reason).toBeInstanceOf(JobTimeoutError);
    expect(stopping).toBe(true);
    expect(result).toMatchObject({ status: 'failed', error: 'JobTimeoutError: job time budget exhausted' });
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(await row(result.runId)).toMatchObject({ status: 'failed', error: 'JobTimeoutError: job time budget exhausted', finishedAt: expect.any(Date) as unknown });
  });

  it('gives up on a work that ignores its budget, before the deadline, and records why; its lock stays held until the work settles', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const context = lambdaContext(1_000);
    let finish: (() => void) | undefined;
    const stubborn = (): Promise<never> =>
      new Promise<never>((_resolve, reject) => {
        finish = () => reject(new Error('finally stopped'));
      });

    const result = await runJob('janitor', context, stubborn, withServices());

    expect(result).toMatchObject({ status: 'failed', error: 'JobTimeoutError: job did not return within its time budget' });
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(100);
    expect(await row(result.runId)).toMatchObject({ status: 'failed', finishedAt: expect.any(Date) as unknown });
    // The work still runs: the next run must not start beside it.
    expect(await bridged.direct.exists(`${prefix}janitor`)).toBe(1);
    finish?.();
    await vi.waitFor(async () => expect(await bridged.direct.exists(`${prefix}janitor`)).toBe(0), { timeout: 5_000 });
  });

  it("takes over the run an admin queued, keeping the request's details; a second delivery is a run of its own", async () => {
    // Prepare
    const queued = await createJobRun(db, { job: 'janitor', status: 'queued', details: { trigger: 'admin', requested_by: 'bootstrap' } });
    const event = { source: 'admin', runId: queued.id };

    // Act
    const first = await runJob('janitor', lambdaContext(10_000), () => Promise.resolve({ swept: 1 }), withServices({ event }));
    const redelivered = await runJob('janitor', lambdaContext(10_000), () => Promise.resolve({ swept: 0 }), withServices({ event }));

    // Assess
    expect(first).toMatchObject({ runId: queued.id, status: 'succeeded' });
    expect(await row(queued.id)).toMatchObject({ status: 'succeeded', details: { trigger: 'admin', requested_by: 'bootstrap', lock: 'redis', swept: 1 } });
    expect(redelivered.runId).not.toBe(queued.id);
    expect(await row(redelivered.runId)).toMatchObject({ status: 'succeeded', details: { trigger: 'admin', requested_run_id: queued.id, swept: 0 } });
  });

  it("ends an admin's queued run as skipped when another run holds the lock", async () => {
    const held = await lock.acquire('janitor', 10_000);
    const queued = await createJobRun(db, { job: 'janitor', status: 'queued', details: { trigger: 'admin' } });
    let called = false;

    const result = await runJob('janitor', lambdaContext(10_000), () => Promise.resolve((called = true)), withServices({ event: { source: 'admin', runId: queued.id } }));
    await held?.release();

    expect(called).toBe(false);
    expect(result).toMatchObject({ runId: queued.id, status: 'skipped', reason: 'locked' });
    expect(await row(queued.id)).toMatchObject({ status: 'skipped', details: { trigger: 'admin', reason: 'locked' } });
  });

  it('fails a run whose lock cannot be taken at all, without calling its work', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const broken: JobLock = { acquire: () => Promise.reject(new Error('lock store down')) };
    let called = false;

    const result = await runJob('janitor', lambdaContext(10_000), () => Promise.resolve((called = true)), withServices({ lock: broken }));

    expect(called).toBe(false);
    expect(result).toMatchObject({ status: 'failed', reason: 'lock_failed', error: 'lock unavailable: lock store down' });
    expect(await row(result.runId)).toMatchObject({ status: 'failed', details: { reason: 'lock_failed' }, error: 'lock unavailable: lock store down' });
  });

  it('goes on when job_runs cannot be written: no run id, and the failure counted and logged', async () => {
    // Prepare
    const warnings = captureLogLines('WARN');
    const before = await valueOf(jobRunRecordFailures, { job: 'janitor', step: 'start' });
    let ran = false;

    // Act
    const result = await runJob(
      'janitor',
      lambdaContext(10_000),
      () => Promise.resolve((ran = true)),
      withServices({ db: () => Promise.reject(new Error('database unreachable')) }),
    );

    // Assess
    expect(ran).toBe(true);
    expect(result).toMatchObject({ runId: null, status: 'succeeded' });
    expect(await valueOf(jobRunRecordFailures, { job: 'janitor', step: 'start' })).toBe(before + 1);
    expect(warnings()).toContainEqual(expect.objectContaining({ message: 'job run not recorded', step: 'start', reason: 'record_failed' }));
  });
});

describe('the job helpers', () => {
  it('read an event: a schedule, an admin run with a well-formed id, anything else an invoke', () => {
    expect(readJobEvent(scheduled)).toEqual({ trigger: 'schedule' });
    expect(readJobEvent({ source: 'admin', runId: '42' })).toEqual({ trigger: 'admin', runId: '42' });
    expect(readJobEvent({ source: 'admin', runId: "42'; --" })).toEqual({ trigger: 'admin' });
    expect(readJobEvent({ source: 'admin', runId: 42 })).toEqual({ trigger: 'admin' });
    expect(readJobEvent(undefined)).toEqual({ trigger: 'invoke' });
    expect(readJobEvent({ hello: 'world' })).toEqual({ trigger: 'invoke' });
  });

  it('write error text from the name and message only, dropping stack lines, bounded and masked', () => {
    const folded = new Error('request failed\n    at fetch (node:internal/deps/undici:1:1)\n    at run (file:///lib/x.ts:2:3)');
    const typed = new TypeError('bad input');

    expect(errorText(folded)).toBe('request failed');
    expect(errorText(typed)).toBe('TypeError: bad input');
    expect(errorText('plain text')).toBe('plain text');
    expect(errorText({ not: 'an error' })).toBe('non-error thrown');
    expect(errorText(new Error('x'.repeat(2_000)))).toHaveLength(500);
    expect(errorText(new Error('connect to postgres://app:hunter2@db.example/prod failed'))).toBe('connect to postgres://app:[REDACTED]@db.example/prod failed');
  });
});
