// The job_runs repository on both drivers: a run is written queued or running, taken over once,
// finished once (a second outcome never replaces the first), listed newest first by keyset pages,
// and its error text is bounded. Malformed ids never reach Postgres; the status constraint of
// migration 0002 accepts `queued` and still refuses anything unknown.
import { beforeAll, expect, it } from 'vitest';
import {
  failAbandonedRuns,
  claimQueuedJobRun,
  createFinishedJobRun,
  createJobRun,
  finishJobRun,
  getJobRun,
  listJobRuns,
  MAX_ERROR_LENGTH,
  type JobRun,
} from '../../../../lib/db/job-runs-repo.js';
import { sql } from '../../../../lib/db/sql.js';
import type { Db, Queryable } from '../../../../lib/db/types.js';
import { describeOnDrivers } from '../../../support/describe-on-drivers.js';

const MALFORMED_IDS = ['abc', '', '0', '-1', '1.5', '9'.repeat(19), '1 OR 1=1'];
const UNKNOWN_ID = '999999999999999999';

/** A Queryable that fails the test if it is ever asked anything. */
const unreachable: Queryable = { query: () => Promise.reject(new Error('no query expected')) };

describeOnDrivers('the job_runs repository on $driver', ({ open }) => {
  let db: Db;
  beforeAll(async () => { ({ db } = await open()); });

  it('writes a running run with its details, unfinished', async () => {
    // Act
    const run = await createJobRun(db, { job: 'repo-start', status: 'running', details: { trigger: 'schedule' } });

    // Assess
    expect(run).toEqual({
      id: expect.stringMatching(/^[1-9][0-9]*$/) as unknown,
      job: 'repo-start',
      status: 'running',
      startedAt: expect.any(Date) as unknown,
      finishedAt: null,
      durationMs: null,
      details: { trigger: 'schedule' },
      error: null,
    });
    expect(await getJobRun(db, run.id)).toEqual(run);
  });

  it('finishes a run once, merging its details; a second outcome changes nothing', async () => {
    // Prepare
    const run = await createJobRun(db, { job: 'repo-finish', status: 'running', details: { trigger: 'admin', requested_by: 'bootstrap' } });

    // Act
    const finished = await finishJobRun(db, run.id, { status: 'failed', durationMs: 1234.6, details: { pages: 3 }, error: 'SourceError: github: 503' });
    const again = await finishJobRun(db, run.id, { status: 'succeeded', durationMs: 1, details: { pages: 99 } });

    // Assess
    expect(finished).toMatchObject({
      status: 'failed',
      durationMs: 1235,
      details: { trigger: 'admin', requested_by: 'bootstrap', pages: 3 },
      error: 'SourceError: github: 503',
    });
    expect(finished?.finishedAt?.getTime()).toBeGreaterThanOrEqual(run.startedAt.getTime());
    expect(again).toBeUndefined();
    expect(await getJobRun(db, run.id)).toEqual(finished);
  });

  it('takes over a queued run once, and only for its own job', async () => {
    // Prepare
    const queued = await createJobRun(db, { job: 'repo-claim', status: 'queued', details: { trigger: 'admin' } });

    // Act
    const otherJob = await claimQueuedJobRun(db, queued.id, 'someone-else');
    const claimed = await claimQueuedJobRun(db, queued.id, 'repo-claim', { lock: 'redis' });
    const twice = await claimQueuedJobRun(db, queued.id, 'repo-claim');

    // Assess
    expect(otherJob).toBeUndefined();
    expect(claimed).toMatchObject({ id: queued.id, status: 'running', details: { trigger: 'admin', lock: 'redis' }, finishedAt: null });
    expect(claimed?.startedAt.getTime()).toBeGreaterThanOrEqual(queued.startedAt.getTime());
    expect(twice).toBeUndefined();
  });

  it('finishes a queued run directly, and writes an already finished run in one statement', async () => {
    const queued = await createJobRun(db, { job: 'repo-skip', status: 'queued' });

    const skipped = await finishJobRun(db, queued.id, { status: 'skipped', durationMs: 0, details: { reason: 'locked' } });
    const written = await createFinishedJobRun(db, 'repo-skip', { status: 'skipped', durationMs: 7, details: { reason: 'locked' } });

    expect(skipped).toMatchObject({ status: 'skipped', durationMs: 0, details: { reason: 'locked' }, error: null });
    expect(written).toMatchObject({ job: 'repo-skip', status: 'skipped', durationMs: 7, details: { reason: 'locked' }, error: null });
    expect(written.finishedAt).toBeInstanceOf(Date);
  });

  it('bounds the stored error text and a duration beyond the integer column', async () => {
    const run = await createJobRun(db, { job: 'repo-bounds', status: 'running' });

    const finished = await finishJobRun(db, run.id, { status: 'failed', durationMs: 1e12, error: 'x'.repeat(5000) });

    expect(finished?.error).toHaveLength(MAX_ERROR_LENGTH);
    expect(finished?.error?.endsWith('…')).toBe(true);
    expect(finished?.durationMs).toBe(2_147_483_647);
  });

  it('keeps details text as data, never SQL', async () => {
    const hostile = { note: "'); DROP TABLE job_runs; --", nested: { quote: '"', list: [1, 'two', null] } };

    const run = await createJobRun(db, { job: 'repo-hostile', status: 'running', details: hostile });

    expect((await getJobRun(db, run.id))?.details).toEqual(hostile);
  });

  it('lists runs newest first, by job, one keyset page at a time', async () => {
    // Prepare: seven runs of one job, interleaved with another job's
    const mine: JobRun[] = [];
    for (let i = 0; i < 7; i++) {
      mine.push(await createJobRun(db, { job: 'repo-list', status: 'running', details: { i } }));
      await createJobRun(db, { job: 'repo-list-other', status: 'running' });
    }
    const newestFirst = mine.map((run) => run.id).reverse();

    // Act
    const pages: string[][] = [];
    let before: string | undefined;
    for (;;) {
      const page = await listJobRuns(db, { job: 'repo-list', limit: 3, before });
      if (page.length === 0) break;
      pages.push(page.map((run) => run.id));
      before = page.at(-1)?.id;
    }

    // Assess
    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(newestFirst);
    const everything = await listJobRuns(db, { limit: 1000 });
    // Ids of one and two digits, in numeric order: a text ordering would put '9' before '10'.
    expect(everything.some((run) => run.id.length === 1) && everything.some((run) => run.id.length === 2)).toBe(true);
    expect(everything.map((run) => Number(run.id))).toEqual([...everything.map((run) => Number(run.id))].sort((a, b) => b - a));
    expect(new Set(everything.map((run) => run.job))).toContain('repo-list-other');
  });

  it('is undefined for an unknown id and for a malformed one, which never reaches Postgres', async () => {
    expect(await getJobRun(db, UNKNOWN_ID)).toBeUndefined();
    expect(await finishJobRun(db, UNKNOWN_ID, { status: 'succeeded', durationMs: 1 })).toBeUndefined();
    for (const id of MALFORMED_IDS) {
      expect(await getJobRun(unreachable, id), id).toBeUndefined();
      expect(await claimQueuedJobRun(unreachable, id, 'janitor'), id).toBeUndefined();
      expect(await finishJobRun(unreachable, id, { status: 'succeeded', durationMs: 1 }), id).toBeUndefined();
    }
  });

  it('refuses a page size outside 1 to 1000 or a malformed `before` as a programming error', () => {
    for (const limit of [0, -1, 1.5, 1001, Number.NaN]) {
      expect(() => listJobRuns(unreachable, { limit }), String(limit)).toThrow(RangeError);
    }
    expect(() => listJobRuns(unreachable, { limit: 5, before: '1 OR 1=1' })).toThrow(RangeError);
  });

  it('fails queued runs never delivered (over 6 h) and running runs whose Lambda was stopped (over 20 min), leaving live ones and those retention will delete', async () => {
    // Prepare: runs of jobs of their own, started that many minutes ago
    const tag = `abandon-${String(Date.now())}`;
    const runs = [
      ['queued-7h', 'queued', 7 * 60],
      ['queued-1h', 'queued', 60],
      ['running-30m', 'running', 30],
      ['running-5m', 'running', 5],
      ['succeeded-7h', 'succeeded', 7 * 60],
      ['running-40d', 'running', 40 * 24 * 60],
    ] as const;
    for (const [name, status, minutes] of runs) {
      await db.query(sql`INSERT INTO job_runs (job, status, started_at) VALUES (${`${tag}-${name}`}, ${status}, now() - make_interval(mins => ${minutes}::int))`);
    }

    // Act: with a retention of 30 days
    const failed = await failAbandonedRuns(db, 30);

    // Assess
    const rows = await db.query<{ job: string; status: string; error: string | null; finished: boolean }>(
      sql`SELECT substr(job, ${tag.length + 2}) AS job, status, error, finished_at IS NOT NULL AS finished FROM job_runs WHERE job LIKE ${`${tag}-%`} ORDER BY job`,
    );
    expect(failed).toBe(2);
    expect(rows).toEqual([
      { job: 'queued-1h', status: 'queued', error: null, finished: false },
      { job: 'queued-7h', status: 'failed', error: expect.stringMatching(/^abandoned: never started/) as unknown, finished: true },
      { job: 'running-30m', status: 'failed', error: expect.stringMatching(/^abandoned: never finished/) as unknown, finished: true },
      { job: 'running-40d', status: 'running', error: null, finished: false },
      { job: 'running-5m', status: 'running', error: null, finished: false },
      { job: 'succeeded-7h', status: 'succeeded', error: null, finished: false },
    ]);
    expect(await failAbandonedRuns(db, 30)).toBe(0);
  });

  it('has a status constraint that accepts queued and refuses an unknown status', async () => {
    await expect(db.query(sql`INSERT INTO job_runs (job, status) VALUES ('repo-check', 'queued')`)).resolves.toEqual([]);
    await expect(db.query(sql`INSERT INTO job_runs (job, status) VALUES ('repo-check', 'paused')`)).rejects.toThrow(/job_runs_status_check/);
  });
});
