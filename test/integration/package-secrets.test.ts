// No plaintext credential in the packaged template of a non-local stage (issue 13): with
// DATABASE_URL and the other credentials set in the deploying shell, `serverless package --stage
// dev` refuses with a message naming them (before, it copied them into every function's
// environment); without them the template's credential variables are empty. Offline, as
// test/integration/package.test.ts packages.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServiceSpec } from '../../infra/local/serverless-config.js';
import { repoRoot, serverlessYmlPath } from '../../infra/local/settings.js';

const run = promisify(execFile);
const SECRETS = {
  DATABASE_URL: 'postgres://owner:plaintext-password@db.example.com/app',
  ADMIN_API_KEY: 'plaintext-admin-key',
  UPSTASH_REDIS_REST_TOKEN: 'plaintext-upstash-token',
  // Basic auth in the userinfo, as lib/metrics/push-common.ts accepts: a credential like the others.
  VICTORIA_METRICS_URL: 'https://vm:plaintext-vm-password@vm.example.com',
};

describe('credentials outside the local stage', () => {
  let outDir: string;
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' };

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'sh-package-secrets-'));
  });

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('refuses to package a non-local stage with credentials set in the shell, and names them', async () => {
    // Act
    const packaging = run(join(repoRoot, 'node_modules/.bin/serverless'), ['package', '--stage', 'dev', '--package', join(outDir, 'dev')], {
      cwd: repoRoot,
      env: { ...base, ...SECRETS },
      timeout: 120_000,
    });

    // Assess: refused, with the reason; nothing packaged
    const failure = (await packaging.then(
      () => undefined,
      (error: unknown) => error,
    )) as { stdout?: string; stderr?: string } | undefined;
    expect(failure).toBeDefined();
    const output = `${failure?.stdout ?? ''}${failure?.stderr ?? ''}`;
    expect(output).toMatch(/refusing to package stage "dev" with DATABASE_URL, ADMIN_API_KEY, UPSTASH_REDIS_REST_TOKEN, VICTORIA_METRICS_URL set in the shell/);
    expect(output).not.toContain('plaintext-password');
    expect(output).not.toContain('plaintext-vm-password');
    await expect(readFile(join(outDir, 'dev', 'cloudformation-template-update-stack.json'))).rejects.toThrow();
  }, 150_000);

  it('resolves no credential from the shell on a non-local stage, and still does on the local one', () => {
    // Act
    const prod = loadServiceSpec({ path: serverlessYmlPath, stage: 'prod', env: SECRETS });
    const local = loadServiceSpec({ path: serverlessYmlPath, stage: 'local', env: SECRETS });

    // Assess
    expect(JSON.stringify(prod.environment)).not.toMatch(/plaintext/);
    expect(prod.environment).toMatchObject({ DATABASE_URL: '', ADMIN_API_KEY: '', UPSTASH_REDIS_REST_TOKEN: '', PUSHGATEWAY_URL: '', VICTORIA_METRICS_URL: '' });
    expect(local.environment).toMatchObject({ DATABASE_URL: SECRETS.DATABASE_URL, ADMIN_API_KEY: SECRETS.ADMIN_API_KEY, VICTORIA_METRICS_URL: SECRETS.VICTORIA_METRICS_URL });
  });
});
