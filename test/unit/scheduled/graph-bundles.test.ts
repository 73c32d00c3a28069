// The graph's extraction lives in the graph-build job, not in the harvest: the discover bundle
// (built with serverless.yml's esbuild options) carries near-duplicate detection, which feeds the
// score, but no identifier extraction, relationship rules or entity resolution; graph-build does.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { readServiceBuildOptions } from '../../bench/esbuild-options.js';

/** Our own source files a scheduled handler's bundle is built from. */
async function bundledSources(handler: string): Promise<string[]> {
  const service = readServiceBuildOptions('serverless.yml');
  const result = await build({ ...service.options, entryPoints: [handler], write: false, metafile: true });
  return Object.keys(result.metafile.inputs).filter((path) => path.startsWith('lib/'));
}

const GRAPH_EXTRACTION = /^lib\/graph\/(identifiers|relationships|entities)\/|^lib\/graph\/(link|build)\.ts$/;

describe('the graph in the job bundles', () => {
  it('leaves extraction and relationships out of the discover bundle, near-duplicates in', async () => {
    const sources = await bundledSources('scheduled/discover.ts');

    expect(sources.filter((path) => GRAPH_EXTRACTION.test(path))).toEqual([]);
    expect(sources).toContain('lib/graph/duplicates/detect.ts');
  });

  it('puts identifier extraction, the relationship rules and entity resolution in the graph-build bundle', async () => {
    const sources = await bundledSources('scheduled/graph-build.ts');

    expect(sources).toEqual(
      expect.arrayContaining(['lib/graph/identifiers/index.ts', 'lib/graph/relationships/rules.ts', 'lib/graph/entities/resolve.ts', 'lib/graph/build.ts']),
    );
  });
});
