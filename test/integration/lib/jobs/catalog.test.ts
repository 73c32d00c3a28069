// One shape for every job: each JOB_NAMES entry is a serverless.yml function whose handler is
// scheduled/<name>.ts's `handler`, that file is the one line re-exporting lib/jobs/catalog/<name>.ts's,
// and the catalog file builds it with scheduledJob under the same name.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServiceSpec } from '../../../../infra/local/serverless-config.js';
import { repoRoot, serverlessYmlPath } from '../../../../infra/local/settings.js';
import { JOB_NAMES } from '../../../../lib/jobs/names.js';

const spec = loadServiceSpec({ path: serverlessYmlPath, stage: 'dev' });

describe.each(JOB_NAMES.map((name) => ({ name })))('the $name job', ({ name }) => {
  it('is handled by scheduled/<name>.ts, one line re-exporting its catalog handler', () => {
    const fn = spec.functions.find((candidate) => candidate.name === name);

    expect(fn === undefined ? undefined : { file: relative(repoRoot, fn.file), exportName: fn.exportName }).toEqual({ file: `scheduled/${name}.ts`, exportName: 'handler' });
    expect(readFileSync(join(repoRoot, 'scheduled', `${name}.ts`), 'utf8')).toBe(`export { handler } from '../lib/jobs/catalog/${name}.js';\n`);
  });

  it('is defined in lib/jobs/catalog/<name>.ts under its own name', async () => {
    const source = readFileSync(join(repoRoot, 'lib/jobs/catalog', `${name}.ts`), 'utf8');
    const catalog = (await import(/* @vite-ignore */ join(repoRoot, 'lib/jobs/catalog', `${name}.ts`))) as { handler?: unknown };

    expect(source).toContain(`export const handler = scheduledJob({ name: '${name}', `);
    expect(typeof catalog.handler).toBe('function');
  });
});
