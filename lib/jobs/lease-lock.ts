// The job lock as a lease in Postgres (lib/db/job-leases-repo.ts): what the default lock falls back
// to when Redis fails, so a job that cannot be locked in Redis is still locked across containers,
// never just in one container's memory. Same contract as the Redis lock: undefined when another
// run holds the lease, a rejection when the database fails (the run is then not started).
import { randomUUID } from 'node:crypto';
import { claimLease, releaseLease } from '../db/job-leases-repo.js';
import { untilAborted } from '../db/abortable.js';
import type { Queryable } from '../db/types.js';
import type { JobLock } from './lock.js';

export interface LeaseLockOptions {
  /** The database holding job_leases: `getDb` in production. */
  db: () => Promise<Queryable>;
}

export function createLeaseLock(options: LeaseLockOptions): JobLock {
  return {
    async acquire(job, ttlMs, signal) {
      const token = randomUUID();
      const db = await untilAborted(options.db(), signal);
      // A claim that lands after the budget gave up holds the lease until its TTL: never a second holder.
      if (!(await untilAborted(claimLease(db, job, token, ttlMs), signal))) return undefined;
      return {
        backend: 'postgres',
        release: async (releaseSignal) => untilAborted(releaseLease(await options.db(), job, token), releaseSignal),
      };
    },
  };
}
