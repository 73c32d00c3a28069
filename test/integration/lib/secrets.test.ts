// lib/secrets.ts with the real `@aws-sdk/client-secrets-manager` client against the local Secrets
// Manager fake (infra/local/secrets-manager-fake.ts), reached through SECRETS_ENDPOINT.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSecretsManagerFake, type SecretsManagerFake } from '../../../infra/local/secrets-manager-fake.js';
import { getConfig, resetConfig } from '../../../lib/config.js';
import { SecretsError } from '../../../lib/errors.js';
import { httpFunction, type App } from '../../../lib/http/index.js';
import { clearSecretValues, log } from '../../../lib/log/index.js';
import { secretsRefreshFailures } from '../../../lib/metrics/secrets-metrics.js';
import { clearSecrets, ensureSecrets } from '../../../lib/secrets.js';
import { captureLogLines, captureOutput } from '../../support/capture-log.js';
import { valueOf } from '../../support/metric-values.js';
import { httpEvent, lambdaContext } from '../../support/http-event.js';

const ADMIN_KEY = `admin-${'k'.repeat(40)}`;
const ROTATED_ADMIN_KEY = `admin-${'r'.repeat(40)}`;
const REDIS_TOKEN = 'upstash-token-0123456789';

function secretOf(values: Record<string, string>): string {
  return JSON.stringify(values);
}

const FIRST = {
  DATABASE_URL: 'postgres://harvester:first-password@db.example.com/signals',
  ADMIN_API_KEY: ADMIN_KEY,
  UPSTASH_REDIS_REST_URL: 'https://redis.example.com',
  UPSTASH_REDIS_REST_TOKEN: REDIS_TOKEN,
};

describe('secrets', () => {
  let fake: SecretsManagerFake;
  let secretId: string;

  beforeAll(async () => {
    fake = await startSecretsManagerFake();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    // Each test has its own secret, so rotations and deletions never leak between tests.
    secretId = `signal-harvester/test-${randomUUID().slice(0, 8)}`;
    fake.setSecret(secretId, secretOf(FIRST));
    vi.stubEnv('SECRETS_ID', secretId);
    vi.stubEnv('SECRETS_ENDPOINT', fake.endpoint);
    vi.stubEnv('SECRETS_TTL_MS', '300000');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('DATABASE_URL', 'postgres://env:env-password@env.example.com/signals');
    vi.stubEnv('ADMIN_API_KEY', '');
    vi.stubEnv('UPSTASH_REDIS_REST_URL', '');
    vi.stubEnv('UPSTASH_REDIS_REST_TOKEN', '');
    vi.stubEnv('PUSHGATEWAY_URL', '');
    vi.stubEnv('LOG_LEVEL', 'info');
    resetConfig();
  });

  afterEach(() => {
    clearSecrets();
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    resetConfig();
    clearSecretValues();
  });

  it('overrides environment config with the secret keys', async () => {
    // Prepare
    const before = getConfig();

    // Act
    await ensureSecrets();
    const after = getConfig();

    // Assess
    expect(before.DATABASE_URL).toBe('postgres://env:env-password@env.example.com/signals');
    expect(before.ADMIN_API_KEY).toBeUndefined();
    expect(after.DATABASE_URL).toBe(FIRST.DATABASE_URL);
    expect(after.ADMIN_API_KEY).toBe(ADMIN_KEY);
    expect(after.UPSTASH_REDIS_REST_URL).toBe(FIRST.UPSTASH_REDIS_REST_URL);
    expect(after.UPSTASH_REDIS_REST_TOKEN).toBe(REDIS_TOKEN);
    expect(after.STAGE).toBe(before.STAGE);
  });

  it('reads nothing and loads no configuration layer when SECRETS_ID is unset', async () => {
    // Prepare
    vi.stubEnv('SECRETS_ID', '');
    resetConfig();
    const calls = fake.calls;

    // Act
    await ensureSecrets();

    // Assess
    expect(fake.calls).toBe(calls);
    expect(getConfig().ADMIN_API_KEY).toBeUndefined();
  });

  it('serves the cached secret within the TTL without asking Secrets Manager again', async () => {
    // Prepare
    await ensureSecrets();
    const calls = fake.calls;

    // Act
    await Promise.all([ensureSecrets(), ensureSecrets(), ensureSecrets()]);

    // Assess
    expect(fake.calls).toBe(calls);
  });

  it('shares one load between concurrent first callers', async () => {
    // Prepare
    const calls = fake.calls;

    // Act
    await Promise.all([ensureSecrets(), ensureSecrets(), ensureSecrets()]);

    // Assess
    expect(fake.calls).toBe(calls + 1);
  });

  it('propagates a rotation once the TTL has passed', async () => {
    // Prepare
    vi.stubEnv('SECRETS_TTL_MS', '50');
    resetConfig();
    await ensureSecrets();
    fake.setSecret(secretId, secretOf({ ...FIRST, ADMIN_API_KEY: ROTATED_ADMIN_KEY }));

    // Act
    await ensureSecrets();
    const withinTtl = getConfig().ADMIN_API_KEY;
    await sleep(80);
    await ensureSecrets();

    // Assess
    expect(withinTtl).toBe(ADMIN_KEY);
    expect(getConfig().ADMIN_API_KEY).toBe(ROTATED_ADMIN_KEY);
  });

  it('keeps the last good value when a refresh fails, counting and logging it without values', async () => {
    // Prepare
    vi.stubEnv('SECRETS_TTL_MS', '50');
    resetConfig();
    await ensureSecrets();
    fake.deleteSecret(secretId);
    const failures = await valueOf(secretsRefreshFailures);
    const warnings = captureLogLines('WARN');
    await sleep(80);

    // Act
    await ensureSecrets();
    const callsAfterFailure = fake.calls;
    await ensureSecrets();

    // Assess
    expect(getConfig().ADMIN_API_KEY).toBe(ADMIN_KEY);
    expect(await valueOf(secretsRefreshFailures)).toBe(failures + 1);
    expect(fake.calls).toBe(callsAfterFailure);
    const lines = warnings();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ message: 'secrets refresh failed; keeping the last good value', secret_id: secretId, reason: 'refresh_failed' });
    expect(JSON.stringify(lines)).not.toContain(ADMIN_KEY);
  });

  it('keeps the last good value when a rotation holds invalid configuration', async () => {
    // Prepare
    vi.stubEnv('SECRETS_TTL_MS', '50');
    resetConfig();
    await ensureSecrets();
    fake.setSecret(secretId, secretOf({ ...FIRST, ADMIN_API_KEY: 'too-short' }));
    const failures = await valueOf(secretsRefreshFailures);
    captureOutput();
    await sleep(80);

    // Act
    await ensureSecrets();

    // Assess
    expect(getConfig().ADMIN_API_KEY).toBe(ADMIN_KEY);
    expect(await valueOf(secretsRefreshFailures)).toBe(failures + 1);
  });

  it('throws a SecretsError with its cause when the secret is missing at the first load', async () => {
    // Prepare
    fake.deleteSecret(secretId);

    // Act
    const error: unknown = await ensureSecrets().catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(SecretsError);
    expect(error).toMatchObject({ status: 503, code: 'secrets_unavailable' });
    expect((error as SecretsError).cause).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(getConfig().ADMIN_API_KEY).toBeUndefined();
  });

  it('rejects a secret that is not a JSON object of strings, without quoting it', async () => {
    // Prepare
    fake.setSecret(secretId, JSON.stringify({ DB_POOL_MAX: 3, ADMIN_API_KEY: ADMIN_KEY }));

    // Act
    const error: unknown = await ensureSecrets().catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(SecretsError);
    expect((error as Error).message).toBe(`secret ${secretId}: key DB_POOL_MAX is not a string`);
  });

  it('masks every secret value in log lines', async () => {
    // Prepare
    await ensureSecrets();
    const output = captureOutput();

    // Act
    log.info('connecting', { note: `token ${REDIS_TOKEN} and key ${ADMIN_KEY}`, url: FIRST.UPSTASH_REDIS_REST_URL });

    // Assess
    const text = output();
    expect(text).toContain('connecting');
    expect(text).not.toContain(REDIS_TOKEN);
    expect(text).not.toContain(ADMIN_KEY);
    expect(text).not.toContain(FIRST.UPSTASH_REDIS_REST_URL);
  });

  describe('through the Lambda handler (httpFunction)', () => {
    function eventFor(path: string, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
      return httpEvent('GET', path, { headers });
    }

    function context(): Context {
      return lambdaContext('secrets-test');
    }

    /** A tiny app built before any secret is loaded, as a function module is at cold start. */
    function tinyHandler() {
      const mount = (app: App): void => void app.get('/probe', (c) => c.json({ redisUrl: getConfig().UPSTASH_REDIS_REST_URL ?? null, tier: c.get('caller').tier }));
      return httpFunction('secrets-test', mount, { keys: () => ({ findByHash: () => Promise.resolve(undefined) }) });
    }

    it('lets the app see the merged configuration, the bootstrap admin key from the secret included', async () => {
      // Prepare
      captureOutput();
      const handler = tinyHandler();

      // Act
      const result = await handler(eventFor('/probe', { 'x-api-key': ADMIN_KEY }), context());

      // Assess
      expect(result.statusCode).toBe(200);
      expect(JSON.parse(result.body ?? '')).toEqual({ redisUrl: FIRST.UPSTASH_REDIS_REST_URL, tier: 'admin' });
    });

    it('answers 503 in the error shape when the secret cannot be loaded at all', async () => {
      // Prepare
      captureOutput();
      fake.deleteSecret(secretId);
      const handler = tinyHandler();

      // Act
      const result = await handler(eventFor('/probe'), context());

      // Assess
      expect(result.statusCode).toBe(503);
      const body = JSON.parse(result.body ?? '') as { error: { code: string; message: string } };
      expect(body.error).toMatchObject({ code: 'secrets_unavailable', message: 'service unavailable' });
    });
  });
});
