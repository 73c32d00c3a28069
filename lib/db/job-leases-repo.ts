// Leases on jobs in Postgres (infra/migrations/0005_job_leases.sql): the job lock when Redis cannot
// be reached. Each call is one statement, atomic by itself, so it works through a transaction-mode
// pooler: no session state, no advisory lock. Expiry is judged by the database's clock, the same
// for every container.
import { sql } from './sql.js';
import type { Queryable } from './types.js';

/**
 * Takes the lease of `job` for `ttlMs` with `token` unless a live one exists: inserts the row, or
 * takes over an expired one. Two concurrent callers cannot both win: the loser's upsert waits for
 * the winner's row and then finds it unexpired. Resolves whether `token` now holds the lease.
 */
export async function claimLease(db: Queryable, job: string, token: string, ttlMs: number): Promise<boolean> {
  const rows = await db.query<{ token: string }>(sql`
    INSERT INTO job_leases (job, token, expires_at)
    VALUES (${job}, ${token}, clock_timestamp() + ${Math.max(1, Math.ceil(ttlMs))} * interval '1 millisecond')
    ON CONFLICT (job) DO UPDATE SET token = EXCLUDED.token, expires_at = EXCLUDED.expires_at, acquired_at = now()
    WHERE job_leases.expires_at <= clock_timestamp()
    RETURNING token`);
  return rows.length === 1;
}

/**
 * Ends the lease of `job` if `token` still holds it. Resolves true when it did and the lease had
 * not expired; false when it had expired (deleted all the same when still ours) or was taken over
 * (that holder's row is left alone).
 */
export async function releaseLease(db: Queryable, job: string, token: string): Promise<boolean> {
  const rows = await db.query<{ live: boolean }>(sql`
    DELETE FROM job_leases WHERE job = ${job} AND token = ${token}
    RETURNING expires_at > clock_timestamp() AS live`);
  return rows[0]?.live === true;
}
