// Runs a bench script in its own Node process (so one measurement's warm JIT and heap do not
// leak into the next) with stdout discarded, and returns the one result it reports over IPC.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../infra/local/settings.js';

export interface ChildOptions {
  /** Kill the child and fail after this long. */
  timeoutMs: number;
  /** Extra environment for the child, over the parent's. */
  env?: Readonly<Record<string, string>>;
  /** Arguments for the script (`process.argv[2]` on). */
  args?: readonly string[];
}

/** `script` is resolved next to this file (e.g. `middleware-child.ts`). */
export function runChild<T>(script: string, options: ChildOptions): Promise<T> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  // Log lines go to /dev/null: writing them is part of the cost measured, reading them is not.
  // LOG_LEVEL is pinned to the default so a developer's shell cannot change what is measured.
  const child = fork(path, [...(options.args ?? [])], {
    cwd: repoRoot,
    // --expose-gc: a child that reports memory collects garbage before its starting figure.
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, ...options.env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise<T>((resolve, reject) => {
    let reported = false;
    let result: T | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not finish within ${String(options.timeoutMs)} ms`));
    }, options.timeoutMs);
    child.once('message', (message) => {
      reported = true;
      result = message as T; // our own child script, which sends exactly T
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (reported && code === 0) resolve(result as T);
      else reject(new Error(`${script} exited (${signal ?? String(code)}) without a result`));
    });
  });
}

/** The child's side: report `result` to the parent and end the process once it is sent. */
export function reportToParent(result: unknown): void {
  if (process.send === undefined) throw new Error('this script reports over IPC; run it through runChild()');
  process.send(result, () => process.exit(0));
}
