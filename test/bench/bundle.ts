// Builds a function's bundle exactly as serverless-esbuild would (same options from
// serverless.yml), plus its library-only baseline, and says where the bytes come from.
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import type { FunctionSpec } from '../../infra/local/serverless-config.js';
import type { ServiceBuildOptions } from './esbuild-options.js';

export interface Bundle {
  /** Absolute path of the emitted file. */
  file: string;
  bytes: number;
  metafile: Metafile;
}

export interface PackageShare {
  /** npm package name, or `(own code)` for our sources. */
  name: string;
  bytes: number;
}

export const OWN_CODE = '(own code)';

async function finish(file: string, metafile: Metafile): Promise<Bundle> {
  return { file, bytes: (await stat(file)).size, metafile };
}

export async function buildFunctionBundle(
  fn: FunctionSpec,
  service: ServiceBuildOptions,
  workingDir: string,
  outDir: string,
): Promise<Bundle> {
  const result = await build({
    ...service.options,
    absWorkingDir: workingDir,
    entryPoints: { [fn.name]: fn.file },
    outdir: outDir,
    metafile: true,
    logLevel: 'silent',
  });
  return finish(join(outDir, `${fn.name}${service.outputFileExtension}`), result.metafile);
}

/** Bundles `source` (an entry written by the bench) with the service options; imports resolve from `workingDir`. */
export async function buildSourceBundle(
  name: string,
  source: string,
  service: ServiceBuildOptions,
  workingDir: string,
  outDir: string,
): Promise<Bundle> {
  const file = join(outDir, `${name}${service.outputFileExtension}`);
  const { outExtension: _unused, ...options } = service.options; // outExtension is for outdir builds
  const result = await build({
    ...options,
    absWorkingDir: workingDir,
    stdin: { contents: source, resolveDir: workingDir, sourcefile: `${name}.js`, loader: 'js' },
    outfile: file,
    metafile: true,
    logLevel: 'silent',
  });
  return finish(file, result.metafile);
}

function packageOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at === -1) return OWN_CODE;
  const [scopeOrName = '', name = ''] = input.slice(at + 'node_modules/'.length).split('/');
  return scopeOrName.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName;
}

/** Bytes each package contributes to the minified output, largest first. */
export function packageShares(bundle: Bundle, workingDir: string): PackageShare[] {
  const output = Object.entries(bundle.metafile.outputs).find(([path]) => resolve(workingDir, path) === bundle.file)?.[1];
  if (output === undefined) throw new Error(`metafile has no output for ${bundle.file}`);
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = packageOf(input);
    totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}
