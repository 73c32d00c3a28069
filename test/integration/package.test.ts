// `serverless package` works offline, with no AWS credentials, and its CloudFormation template
// holds every function of serverless.yml with its routes and schedules: the deployable artefact is
// checked, not just the source.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServiceSpec } from '../../infra/local/serverless-config.js';
import { repoRoot, serverlessYmlPath } from '../../infra/local/settings.js';

const run = promisify(execFile);

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}

/** Serverless's logical-id normalisation of a function name (`evolve-topics` → `EvolveDashtopics`). */
function logicalName(name: string): string {
  const normalised = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return normalised.charAt(0).toUpperCase() + normalised.slice(1);
}

describe('npm run package', () => {
  let outDir: string;
  let resources: Record<string, Resource>;
  const spec = loadServiceSpec({ path: serverlessYmlPath, stage: 'dev' });

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'sh-package-'));
    // No credentials and no network: packaging must not need either.
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' };
    await run(join(repoRoot, 'node_modules/.bin/serverless'), ['package', '--stage', 'dev', '--package', outDir], {
      cwd: repoRoot,
      env,
      timeout: 120_000,
    });
    const template = JSON.parse(await readFile(join(outDir, 'cloudformation-template-update-stack.json'), 'utf8')) as {
      Resources: Record<string, Resource>;
    };
    resources = template.Resources;
  }, 150_000);

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('contains every function of serverless.yml on nodejs22.x arm64', () => {
    expect(spec.functions.length).toBeGreaterThan(0);
    for (const fn of spec.functions) {
      const resource = resources[`${logicalName(fn.name)}LambdaFunction`];
      expect(resource, fn.name).toBeDefined();
      expect(resource?.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        FunctionName: `signal-harvester-dev-${fn.name}`,
      });
    }
  });

  it('routes every httpApi event of every function, $default included, without gateway CORS', () => {
    const routes = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    const keys = routes.map((r) => r.Properties.RouteKey).sort();
    const expected = spec.functions.flatMap((fn) => fn.routes.map((route) => (route.path === '$default' ? '$default' : `${route.method} ${route.path}`)));
    expect(keys).toEqual(expected.sort());
    expect(keys).toContain('$default');
    const api = Object.values(resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Api');
    expect(api?.Properties.CorsConfiguration).toBeUndefined();
  });

  it('creates a rule for every schedule, disabled where serverless.yml says so', () => {
    const rules = Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule');
    const expected = spec.functions.flatMap((fn) => fn.schedules.map((s) => `${s.expression} ${s.enabled ? 'ENABLED' : 'DISABLED'}`));
    expect(rules.map((r) => `${String(r.Properties.ScheduleExpression)} ${String(r.Properties.State)}`).sort()).toEqual(expected.sort());
  });

  it('grants no wildcard IAM action', () => {
    const roles = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Role');
    const text = JSON.stringify(roles);
    expect(roles.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/"Action":\s*"\*"|"[a-z0-9-]+:\*"/);
  });

  it('writes one zip per function holding only its minified ESM bundle', async () => {
    for (const fn of spec.functions) {
      const zip = join(outDir, `${fn.name}.zip`);
      const { stdout } = await run('unzip', ['-l', zip]);
      const files = stdout
        .split('\n')
        .map((line) => line.trim().split(/\s+/).slice(3).join(' '))
        .filter((name) => name.includes('/') || name.endsWith('.mjs'));
      // `functions/<name>.mjs` or `scheduled/<name>.mjs`: the handler's own path, bundled.
      const entry = relative(repoRoot, fn.file).replace(/\.ts$/, '.mjs');
      expect(files, fn.name).toContain(entry);
      expect(files.some((name) => name.startsWith('node_modules/')), fn.name).toBe(false);
      const { stdout: bundle } = await run('unzip', ['-p', zip, entry], { maxBuffer: 16 * 1024 * 1024 });
      expect(bundle.length, `${fn.name} bundle bytes`).toBeLessThanOrEqual(300 * 1024);
      expect(bundle).toContain('createRequire');
    }
  });
});
