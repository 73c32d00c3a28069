// One "container" running one scheduled run, for the job-lock fault test: its own process, so its
// own default lock (Redis as configured, then the fallback) and its own memory. Waits until
// START_AT (epoch ms) so two of them race for the lock together, holds the lock HOLD_MS in its
// work, and prints one line: {"run": {status, reason, lock}}.
import { setTimeout as sleep } from 'node:timers/promises';
import { resetDb } from '../../lib/db/client.js';
import { runJob } from '../../lib/jobs/run-job.js';

const startAt = Number(process.env.START_AT ?? Date.now());
const holdMs = Number(process.env.HOLD_MS ?? 1_000);
await sleep(Math.max(0, startAt - Date.now()));

const deadline = Date.now() + 60_000;
let worked = false;
const result = await runJob(
  'janitor',
  { getRemainingTimeInMillis: () => deadline - Date.now() },
  async () => {
    worked = true;
    await sleep(holdMs);
    return { worked: true };
  },
);
process.stdout.write(`${JSON.stringify({ run: { status: result.status, reason: result.reason ?? null, worked } })}\n`);
await resetDb();
process.exit(0);
