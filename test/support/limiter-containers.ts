// Several limiter "containers" as child processes (limiter-container-child.ts), each with its own
// event loop and memory, bursting on one shared bucket at the same moment: what four Lambda
// containers do when one client's burst is spread over them. Used by the limiter fault test and
// the bench.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Burst, BurstResult } from './limiter-container-child.js';

export type { Burst, BurstResult };

export interface Containers {
  /** Every container fires `burst.requests` decisions at once; resolves with each one's result. */
  burst(burst: Omit<Burst, 'clockOffsetMs'>): Promise<BurstResult[]>;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./limiter-container-child.ts', import.meta.url));

/** Starts one process per entry of `clockOffsetsMs` (that container's clock lead, ms). */
export async function startContainers(clockOffsetsMs: readonly number[], env: Readonly<Record<string, string>> = {}): Promise<Containers> {
  const children: ChildProcess[] = clockOffsetsMs.map(() =>
    fork(CHILD, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, LOG_LEVEL: 'error', ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }),
  );
  await Promise.all(children.map((child) => nextMessage<string>(child)));
  return {
    async burst(burst) {
      const results = children.map((child) => nextMessage<BurstResult>(child));
      children.forEach((child, i) => child.send({ ...burst, clockOffsetMs: clockOffsetsMs[i] ?? 0 } satisfies Burst));
      return Promise.all(results);
    },
    async close() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`limiter container exited (${String(code)}) before answering`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve(message as T); // our own child, which sends exactly T
    });
  });
}

/** The p-th percentile (0–100) of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
