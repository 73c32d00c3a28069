// `serverless package` for the tests that read the deployable artefact, offline and with no
// credentials. One at a time across test files: serverless-esbuild builds in the service's own
// .esbuild/ folder, so two packagings at once would overwrite each other's bundles. And one per
// stage per run: the files that need the same stage (the template checks, the zips under the Lambda
// runtime client) read the same output, which nobody writes to after it is made.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { repoRoot } from '../../infra/local/settings.js';
import { processAlive } from '../../lib/db/dir-lock.js';

const run = promisify(execFile);

/** Where the global setup leaves this run's id; packages are shared under it. */
export const TEST_RUN_ENV = 'SH_TEST_RUN_ID';

const LOCK = join(repoRoot, '.data/test/serverless-package.lock');
const LOCK_WAIT_MS = 240_000;

/** The environment packaging gets: no credentials, no telemetry, nothing from the test process. */
function packagingEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' };
}

/** Runs `work` holding the packaging lock (a file naming its process; a dead owner's is taken over). */
async function underPackagingLock<T>(work: () => Promise<T>): Promise<T> {
  await mkdir(join(LOCK, '..'), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await writeFile(LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readFile(LOCK, 'utf8').catch(() => ''));
      // An empty file is a lock being written this instant: wait for it like a live one.
      if (Number.isInteger(owner) && owner > 0 && !processAlive(owner)) await rm(LOCK, { force: true });
      else if (Date.now() > deadline) throw new Error(`serverless package: ${LOCK} still held by process ${String(owner)} after ${String(LOCK_WAIT_MS)} ms`, { cause: error });
      else await sleep(100);
    }
  }
  try {
    return await work();
  } finally {
    await rm(LOCK, { force: true });
  }
}

/** `serverless package --stage <stage>` into `outDir` (taking the lock); rejects as the CLI fails. */
export async function packageStage(stage: string, outDir: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  await underPackagingLock(() =>
    run(join(repoRoot, 'node_modules/.bin/serverless'), ['package', '--stage', stage, '--package', outDir], {
      cwd: repoRoot,
      env: { ...packagingEnv(), ...env },
      timeout: 120_000,
    }),
  );
}

/**
 * `stage` packaged once for this run (the first caller packages, the others wait on the lock and
 * find it done); the directory holds the template and one zip per function. Read only: callers copy
 * or unzip what they change.
 */
export async function sharedPackage(stage: string): Promise<string> {
  const runId = process.env[TEST_RUN_ENV];
  if (runId === undefined) throw new Error(`sharedPackage needs ${TEST_RUN_ENV}, which the global setup sets: run it under vitest`);
  const dir = join(sharedPackagesDir(runId), stage);
  const done = join(dir, 'cloudformation-template-update-stack.json');
  if (await readFile(done).then(() => true, () => false)) return dir;
  await underPackagingLock(async () => {
    if (await readFile(done).then(() => true, () => false)) return;
    // Packaged beside, then renamed: a failed packaging never leaves a half-written directory here.
    const partial = `${dir}.partial-${String(process.pid)}`;
    await rm(partial, { recursive: true, force: true });
    await run(join(repoRoot, 'node_modules/.bin/serverless'), ['package', '--stage', stage, '--package', partial], {
      cwd: repoRoot,
      env: packagingEnv(),
      timeout: 120_000,
    });
    await rename(partial, dir);
  });
  return dir;
}

function sharedPackagesDir(runId: string): string {
  return join(repoRoot, '.data/test', `package-${runId}`);
}

/** The shared packages of run `runId` (global teardown). */
export async function removeSharedPackages(runId: string): Promise<void> {
  await rm(sharedPackagesDir(runId), { recursive: true, force: true });
}
