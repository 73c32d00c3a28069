// `npm start` readiness: wall time from spawning the real entry point until it logs the line with
// its URL, against a bare `node --import tsx` doing nothing (the floor any tsx script pays).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { repoRoot } from '../../infra/local/settings.js';
import { interleave, median } from './stats.js';

const READY_TIMEOUT_MS = 15_000;

export interface StartResult {
  /** Median ms from spawn to the "is running at" log line. */
  readyMs: number;
  /** Median `ready_ms` the runtime reports itself (after its own imports are loaded). */
  reportedReadyMs: number;
  /** Median ms for `node --import tsx -e 0` to run and exit. */
  baselineMs: number;
}

function readyLine(line: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed === 'object' && parsed !== null && 'url' in parsed) return parsed;
  } catch {
    // not a log line
  }
  return undefined;
}

async function startOnce(): Promise<{ wallMs: number; reportedMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  try {
    const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start logged no URL within ${String(READY_TIMEOUT_MS)} ms`)), READY_TIMEOUT_MS);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited (${String(code)}) before it was ready`));
      });
      createInterface({ input: child.stdout }).on('line', (line) => {
        const parsed = readyLine(line);
        if (parsed === undefined) return;
        clearTimeout(timer);
        resolve(parsed);
      });
    });
    return { wallMs: performance.now() - started, reportedMs: Number(ready.ready_ms) };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  }
}

async function bareTsxOnce(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', '0'], { cwd: repoRoot, stdio: 'ignore' });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`node --import tsx -e 0 exited with ${String(code)}`);
  return performance.now() - started;
}

export async function measureStart(runs: number): Promise<StartResult> {
  const wall: number[] = [];
  const reported: number[] = [];
  const baseline: number[] = [];
  await interleave(runs, [
    async () => {
      const run = await startOnce();
      wall.push(run.wallMs);
      reported.push(run.reportedMs);
    },
    async () => void baseline.push(await bareTsxOnce()),
  ]);
  return { readyMs: median(wall), reportedReadyMs: median(reported), baselineMs: median(baseline) };
}
