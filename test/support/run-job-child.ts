// One "container" running one scheduled run, for the job-lock fault test: its own process, so its
// own default lock (Redis as configured, then the fallback) and its own memory. Once loaded it
// prints {"ready": true} and waits for SIGUSR2, which the test sends to both containers at once so
// they race for the lock together (waiting on loading, not on a fixed start time that had to allow
// for the slowest load); holds the lock HOLD_MS in its work, and prints one line:
// {"run": {status, reason, worked}}.
import { setTimeout as sleep } from 'node:timers/promises';
import { resetDb } from '../../lib/db/client.js';
import { runJob } from '../../lib/jobs/run-job.js';

const holdMs = Number(process.env.HOLD_MS ?? 1_000);
// A signal listener keeps no process alive: the timer does (and ends a container never started).
const abandoned = setTimeout(() => process.exit(2), 120_000);
const started = new Promise((resolve) => process.once('SIGUSR2', resolve));
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
await started;
clearTimeout(abandoned);

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
