// The esbuild options of serverless.yml `custom.esbuild`, translated the way serverless-esbuild
// does it (node_modules/serverless-esbuild/dist/bundle.js), so the bench measures the bundles that
// ship rather than a look-alike.
import { readFileSync } from 'node:fs';
import type { BuildOptions } from 'esbuild';
import { parse } from 'yaml';

/** Options serverless-esbuild consumes itself; esbuild rejects them. */
const PLUGIN_ONLY_KEYS = [
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
] as const;

export interface ServiceBuildOptions {
  /** esbuild options shared by every function (no entry points or output paths). */
  options: BuildOptions;
  /** Extension of the emitted bundle, e.g. `.mjs`. */
  outputFileExtension: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] {
  const items: unknown[] = Array.isArray(value) ? value : [value];
  return items.filter((item): item is string => typeof item === 'string');
}

export function readServiceBuildOptions(serverlessYmlPath: string): ServiceBuildOptions {
  const root: unknown = parse(readFileSync(serverlessYmlPath, 'utf8'));
  const custom = isRecord(root) && isRecord(root.custom) ? root.custom : {};
  const raw = isRecord(custom.esbuild) ? custom.esbuild : {};
  if ('config' in raw || 'plugins' in raw) {
    // A JS config file or plugins would change the build in ways this reader cannot follow.
    throw new Error('serverless.yml custom.esbuild: `config` and `plugins` are not supported by the bench');
  }
  const passThrough: Record<string, unknown> = { ...raw };
  for (const key of PLUGIN_ONLY_KEYS) delete passThrough[key];

  // serverless-esbuild's defaults (bundle, platform node, exclude aws-sdk); `*` disables exclusion.
  const exclude = 'exclude' in raw ? stringList(raw.exclude) : ['aws-sdk'];
  const outputFileExtension = typeof raw.outputFileExtension === 'string' ? raw.outputFileExtension : '.js';
  const options: BuildOptions = {
    bundle: true,
    platform: 'node',
    ...(passThrough as BuildOptions),
    external: [...stringList(raw.external), ...(exclude.includes('*') ? [] : exclude)],
    ...(outputFileExtension === '.js' ? {} : { outExtension: { '.js': outputFileExtension } }),
  };
  return { options, outputFileExtension };
}
