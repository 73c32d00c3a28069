import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadServiceSpec, type FunctionSpec, type ServiceSpec } from '../../../../infra/local/serverless-config.js';

function fixture(name: string): string {
  return fileURLToPath(new URL(`../../../fixtures/serverless/${name}`, import.meta.url));
}

function functionNamed(spec: ServiceSpec, name: string): FunctionSpec {
  const found = spec.functions.find((fn) => fn.name === name);
  if (found === undefined) throw new Error(`no function ${name} in the spec`);
  return found;
}

describe('loadServiceSpec', () => {
  describe('variables', () => {
    it('resolves ${sls:stage} and ${opt:stage, ...} to the requested stage', () => {
      // Act
      const spec = loadServiceSpec({ path: fixture('variables.yml'), stage: 'staging' });

      // Assess
      expect(spec.stage).toBe('staging');
      expect(spec.environment.STAGE).toBe('staging');
      expect(spec.environment.OPT_STAGE).toBe('staging');
      expect(spec.environment.SELF_NESTED).toBe('hello staging');
    });

    it('uses the local stage when none is requested', () => {
      // Act
      const spec = loadServiceSpec({ path: fixture('variables.yml') });

      // Assess
      expect(spec.stage).toBe('local');
      expect(spec.environment.STAGE).toBe('local');
    });

    it('takes ${param:...} from the stage when it overrides the default', () => {
      // Act
      const prod = loadServiceSpec({ path: fixture('variables.yml'), stage: 'prod' });

      // Assess
      expect(prod.environment.LOG_LEVEL).toBe('warn');
      expect(prod.environment.RETENTION).toBe('14');
    });

    it('takes ${param:...} from default when the stage has no value, keeping an empty string', () => {
      // Act
      const dev = loadServiceSpec({ path: fixture('variables.yml'), stage: 'dev' });

      // Assess
      expect(dev.environment.LOG_LEVEL).toBe('info');
      expect(dev.environment.ORIGINS).toBe('');
    });

    it('reads ${env:...} from the given environment, falling back when unset or empty', () => {
      // Act
      const set = loadServiceSpec({ path: fixture('variables.yml'), env: { FIXTURE_VALUE: 'from-env' } });
      const empty = loadServiceSpec({ path: fixture('variables.yml'), env: { FIXTURE_VALUE: '' } });
      const unset = loadServiceSpec({ path: fixture('variables.yml') });

      // Assess
      expect(set.environment.FROM_ENV).toBe('from-env');
      expect(empty.environment.FROM_ENV).toBe('fallback');
      expect(unset.environment.FROM_ENV).toBe('fallback');
    });

    it('inserts a value into a longer string literally, even when it holds replacement patterns', () => {
      // Act
      const spec = loadServiceSpec({ path: fixture('variables.yml'), env: { FIXTURE_VALUE: 'a$&b$1' } });

      // Assess
      expect(spec.environment.FROM_ENV).toBe('a$&b$1');
      expect(spec.environment.EMBEDDED_ENV).toBe('pre-a$&b$1');
    });

    it('resolves ${self:...} paths, including nested variables', () => {
      // Act
      const spec = loadServiceSpec({ path: fixture('variables.yml') });

      // Assess
      expect(spec.environment.SELF_A).toBe('from-custom');
      expect(spec.environment.SELF_NESTED).toBe('hello local');
    });

    it('reads ${file(./package.json):version} relative to the yml, alone or inside a string', () => {
      // Act
      const spec = loadServiceSpec({ path: fixture('variables.yml'), stage: 'dev' });

      // Assess
      expect(spec.environment.APP_VERSION).toBe('9.8.7');
      expect(spec.environment.EMBEDDED).toBe('v9.8.7-dev');
    });

    it('turns numbers and booleans in the environment into strings', () => {
      // Act
      const spec = loadServiceSpec({ path: fixture('variables.yml') });

      // Assess
      expect(spec.environment.RETENTION).toBe('14');
      expect(spec.environment.ENABLED).toBe('true');
    });

    it('resolves provider settings with ${opt:...} fallbacks', () => {
      // Act
      const spec = loadServiceSpec({ path: fixture('variables.yml') });

      // Assess
      expect(spec.service).toBe('fixture-service');
      expect(spec.region).toBe('eu-west-1');
    });

    it('rejects a variable source it does not support, naming it', () => {
      // Act
      const load = (): unknown => loadServiceSpec({ path: fixture('unsupported-variable.yml') });

      // Assess
      expect(load).toThrow('serverless.yml provider.environment.TOKEN: variable source "ssm:/fixture/token" is not supported');
    });
  });

  it('tolerates CloudFormation short-form tags such as !Ref, !GetAtt, !Sub, !If and !Join', () => {
    // Act
    const load = (): unknown => loadServiceSpec({ path: fixture('variables.yml') });

    // Assess
    expect(load).not.toThrow();
  });

  it('leaves CloudFormation ${AWS::...} references in a function alone instead of resolving them', () => {
    // Act
    const spec = loadServiceSpec({ path: fixture('variables.yml') });

    // Assess: the api function (whose role is a !Sub with ${AWS::AccountId}) loads
    expect(functionNamed(spec, 'api').exportName).toBe('handler');
  });

  it('reads handler file, export, timeout and memory, with provider defaults', () => {
    // Act
    const spec = loadServiceSpec({ path: fixture('variables.yml') });

    // Assess
    expect(functionNamed(spec, 'api')).toMatchObject({
      file: fixture('functions/api.ts'),
      exportName: 'handler',
      timeoutSeconds: 3,
      memorySize: 512,
    });
    expect(functionNamed(spec, 'jobs')).toMatchObject({
      file: fixture('scheduled/jobs.ts'),
      exportName: 'run',
      timeoutSeconds: 10,
      memorySize: 128,
    });
  });

  it("reads every httpApi form: '*', 'GET /x', '* /x', {method, path} and {path}", () => {
    // Act
    const api = functionNamed(loadServiceSpec({ path: fixture('variables.yml') }), 'api');

    // Assess
    expect(api.routes).toEqual([
      { method: 'ANY', path: '$default' },
      { method: 'GET', path: '/x' },
      { method: 'ANY', path: '/any' },
      { method: 'POST', path: '/y/{id}' },
      { method: 'ANY', path: '/z' },
    ]);
    expect(api.schedules).toEqual([]);
  });

  it('reads every schedule form: a string, {rate, enabled: false, input} and a list of rates', () => {
    // Act
    const jobs = functionNamed(loadServiceSpec({ path: fixture('variables.yml') }), 'jobs');

    // Assess
    expect(jobs.schedules).toEqual([
      { expression: 'rate(5 minutes)', enabled: true },
      { expression: 'cron(0 3 * * ? *)', enabled: false, input: { mode: 'full' } },
      { expression: 'rate(1 hour)', enabled: true },
      { expression: 'rate(2 hours)', enabled: true },
    ]);
    expect(jobs.routes).toEqual([]);
  });

  it('rejects a per-function environment, which one local process cannot honour', () => {
    // Act
    const load = (): unknown => loadServiceSpec({ path: fixture('function-environment.yml') });

    // Assess
    expect(load).toThrow('serverless.yml functions.api: per-function environment is not supported');
  });

  describe('the real serverless.yml', () => {
    const path = fileURLToPath(new URL('../../../../serverless.yml', import.meta.url));

    it('routes the three probes to health and $default to fallback', () => {
      // Act
      const spec = loadServiceSpec({ path });

      // Assess
      expect(spec.service).toBe('signal-harvester');
      expect(functionNamed(spec, 'health').routes).toEqual([
        { method: 'ANY', path: '/health/live' },
        { method: 'ANY', path: '/health/ready' },
        { method: 'ANY', path: '/health/startup' },
      ]);
      expect(functionNamed(spec, 'fallback').routes).toEqual([{ method: 'ANY', path: '$default' }]);
    });

    it('resolves the provider environment the functions read', () => {
      // Act
      const spec = loadServiceSpec({ path, stage: 'prod' });

      // Assess
      const { APP_VERSION, ...rest } = spec.environment;
      expect(rest).toEqual({
        STAGE: 'prod',
        LOG_LEVEL: 'info',
        CORS_ALLOWED_ORIGINS: '',
        DATABASE_URL: '',
        ADMIN_API_KEY: '',
        DB_POOL_MAX: '2',
        UPSTASH_REDIS_REST_URL: '',
        UPSTASH_REDIS_REST_TOKEN: '',
        RATE_LIMIT_ANONYMOUS: '100',
        RATE_LIMIT_API_KEY: '1000',
        RATE_LIMIT_PREMIUM: '5000',
        PUSHGATEWAY_URL: '',
        METRICS_PUSH_TARGET: 'pushgateway',
        VICTORIA_METRICS_URL: '',
        METRICS_PUSH_INTERVAL_MS: '10000',
        SECRETS_ID: 'signal-harvester/prod',
        FUNCTION_NAME_PREFIX: 'signal-harvester-prod-',
      });
      expect(APP_VERSION).toMatch(/^\d+\.\d+\.\d+/);
    });

    it('reads no secret on the local stage, so `npm start` needs no AWS account', () => {
      // Act
      const spec = loadServiceSpec({ path });

      // Assess
      expect(spec.environment.SECRETS_ID).toBe('');
    });
  });
});
