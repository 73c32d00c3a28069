// Cold import: how long `await import()` of a bundle takes in a fresh Node process, the part of a
// Lambda cold start our bundle controls. Process start-up itself is excluded: it is the same for
// every bundle and says nothing about our code.
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { interleave, median } from './stats.js';

const execFileAsync = promisify(execFile);

/** Runs in the fresh process: times the import of the URL given as its last argument. */
const RUNNER = [
  'const url = process.argv.at(-1);',
  'const started = performance.now();',
  'await import(url);',
  'process.stdout.write(`\\nBENCH_IMPORT_MS=${performance.now() - started}\\n`);',
].join(' ');

const RESULT_LINE = /^BENCH_IMPORT_MS=([\d.]+)$/m;

export interface ColdImportResult {
  /** Median import time of the function bundle, ms. */
  functionMs: number;
  /** Median import time of its library-only baseline, ms. */
  baselineMs: number;
}

async function importOnce(file: string): Promise<number> {
  // NODE_OPTIONS could carry a loader (tsx) into the child and time that instead of the bundle.
  const { NODE_OPTIONS: _loader, ...env } = process.env;
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', RUNNER, pathToFileURL(file).href], {
    env,
  });
  const ms = RESULT_LINE.exec(stdout)?.[1];
  if (ms === undefined) throw new Error(`cold import of ${file} printed no timing`);
  return Number(ms);
}

/** Median of `runs` cold imports of each bundle, interleaved, after one discarded run to warm the file cache. */
export async function measureColdImport(functionFile: string, baselineFile: string, runs: number): Promise<ColdImportResult> {
  await importOnce(functionFile);
  await importOnce(baselineFile);
  const functionTimes: number[] = [];
  const baselineTimes: number[] = [];
  await interleave(runs, [
    async () => void functionTimes.push(await importOnce(functionFile)),
    async () => void baselineTimes.push(await importOnce(baselineFile)),
  ]);
  return { functionMs: median(functionTimes), baselineMs: median(baselineTimes) };
}
