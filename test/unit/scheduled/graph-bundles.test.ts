// The graph lives in the graph-build job, not in the harvest: the discover bundle (built with
// serverless.yml's esbuild options) carries no identifier extraction, relationship rules,
// near-duplicate detection or entity resolution (nothing of lib/graph); graph-build does.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { readServiceBuildOptions } from '../../bench/esbuild-options.js';

/** Our own source files a scheduled handler's bundle is built from. */
async function bundledSources(handler: string): Promise<string[]> {
  const service = readServiceBuildOptions('serverless.yml');
  const result = await build({ ...service.options, entryPoints: [handler], write: false, metafile: true });
  return Object.keys(result.metafile.inputs).filter((path) => path.startsWith('lib/'));
}

const GRAPH = /^lib\/graph\//;

describe('the graph in the job bundles', () => {
  it('leaves the whole graph out of the discover bundle', async () => {
    const sources = await bundledSources('scheduled/discover.ts');

    expect(sources.filter((path) => GRAPH.test(path))).toEqual([]);
    expect(sources).toContain('lib/harvest/ingest.ts');
  });

  it('puts identifier extraction, the relationship rules, near-duplicates and entity resolution in the graph-build bundle', async () => {
    const sources = await bundledSources('scheduled/graph-build.ts');

    expect(sources).toEqual(
      expect.arrayContaining([
        'lib/graph/identifiers/index.ts',
        'lib/graph/relationships/rules.ts',
        'lib/graph/duplicates/detect.ts',
        'lib/harvest/rescore.ts',
        'lib/graph/entities/resolve.ts',
        'lib/graph/build.ts',
      ]),
    );
  });
});
