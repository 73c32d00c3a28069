// `serverless package` works offline, with no AWS credentials, and its CloudFormation template
// holds every function of serverless.yml with its routes and schedules: the deployable artefact is
// checked, not just the source. Packaged for every deployed stage (dev, staging, prod) in one
// beforeAll: the per-stage settings, IAM, schedules and dead-letter queue are read off the
// templates CloudFormation would get, and every resource is checked against AWS's published
// CloudFormation registry schemas (test/support/cloudformation-schemas.ts).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServiceSpec, type ServiceSpec } from '../../infra/local/serverless-config.js';
import { repoRoot, serverlessYmlPath } from '../../infra/local/settings.js';
import { loadAwsSchemas, TemplateValidator, type CfnTemplate, type Finding } from '../support/cloudformation-schemas.js';
import { packageStage, sharedPackage } from '../support/serverless-package.js';

const run = promisify(execFile);

/** Every stage serverless.yml deploys (`local` is `npm start`'s, never packaged for AWS). */
const STAGES = ['dev', 'staging', 'prod'] as const;
type Stage = (typeof STAGES)[number];

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}

interface Template {
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown }>;
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** What each stage's params say (serverless.yml `params:`). */
const EXPECTED: Record<Stage, { schedules: 'ENABLED' | 'DISABLED'; logRetentionDays: number; memorySize: number; dlqRetentionSeconds: number }> = {
  dev: { schedules: 'DISABLED', logRetentionDays: 7, memorySize: 512, dlqRetentionSeconds: 4 * 24 * 3600 },
  staging: { schedules: 'ENABLED', logRetentionDays: 14, memorySize: 1024, dlqRetentionSeconds: 14 * 24 * 3600 },
  prod: { schedules: 'ENABLED', logRetentionDays: 30, memorySize: 1024, dlqRetentionSeconds: 14 * 24 * 3600 },
};

/** The schedule and asynchronous retry policy of each job. */
const JOBS = {
  janitor: { expression: 'rate(15 minutes)', maximumRetryAttempts: 0, maximumEventAgeSeconds: 900 },
  discover: { expression: 'rate(1 hour)', maximumRetryAttempts: 1, maximumEventAgeSeconds: 3600 },
  'evolve-topics': { expression: 'cron(0 3 * * ? *)', maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 },
  deliver: { expression: 'rate(1 minute)', maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 },
  'graph-build': { expression: 'rate(5 minutes)', maximumRetryAttempts: 0, maximumEventAgeSeconds: 300 },
  digest: { expression: 'rate(15 minutes)', maximumRetryAttempts: 0, maximumEventAgeSeconds: 900 },
} as const;

const DLQ_ARN = { 'Fn::GetAtt': ['JobDeadLetterQueue', 'Arn'] };

/** Serverless's logical-id normalisation of a function name (`evolve-topics` → `EvolveDashtopics`). */
function logicalName(name: string): string {
  const normalised = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return normalised.charAt(0).toUpperCase() + normalised.slice(1);
}

/** What each function's own role may do beyond writing its log group: least privilege, per function. */
const GRANTS: Record<string, ReadonlyArray<'secret' | 'invokeJobs' | 'deadLetter'>> = {
  health: ['secret'],
  signals: ['secret'],
  topics: ['secret'],
  entities: ['secret'],
  watches: ['secret'],
  feeds: ['secret'],
  admin: ['secret', 'invokeJobs'],
  openapi: ['secret'],
  metrics: ['secret'],
  janitor: ['secret', 'deadLetter'],
  discover: ['secret', 'deadLetter'],
  'evolve-topics': ['secret', 'deadLetter'],
  deliver: ['secret', 'deadLetter'],
  'graph-build': ['secret', 'deadLetter'],
  graph: ['secret'],
  digest: ['secret', 'deadLetter'],
  fallback: ['secret'],
  web: ['secret'],
  'web-topics': ['secret'],
  'web-admin': ['secret', 'invokeJobs'],
};

/** The statements the execution role of function `fn` must hold on `stage`, exactly. */
function expectedStatements(stage: Stage, fn: string): Statement[] {
  const account = 'arn:aws:lambda:${AWS::Region}:${AWS::AccountId}';
  const grants: Record<(typeof GRANTS)[string][number], Statement> = {
    secret: {
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue'],
      Resource: { 'Fn::Sub': `arn:aws:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:signal-harvester/${stage}-*` },
    },
    invokeJobs: {
      Effect: 'Allow',
      Action: ['lambda:InvokeFunction'],
      Resource: Object.keys(JOBS).map((job) => ({ 'Fn::Sub': `${account}:function:signal-harvester-${stage}-${job}` })),
    },
    deadLetter: { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: DLQ_ARN },
  };
  return [
    { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [`${logicalName(fn)}LogGroup`, 'Arn'] } },
    ...(GRANTS[fn] ?? []).map((grant) => grants[grant]),
  ];
}

function ofType(template: Template, type: string): Array<[string, Resource]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

describe('npm run package', () => {
  let outDir: string;
  const templates = {} as Record<Stage, Template>;
  const stageDirs = {} as Record<Stage, string>;
  const specs = Object.fromEntries(STAGES.map((stage) => [stage, loadServiceSpec({ path: serverlessYmlPath, stage })])) as Record<Stage, ServiceSpec>;
  const spec = specs.dev;
  /** Dev's resources, for the checks that hold on every stage. */
  let resources: Record<string, Resource>;
  /** AWS's published resource schemas and attributes (test/support/cloudformation-schemas.ts). */
  let validator: TemplateValidator;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'sh-package-'));
    // No credentials and no network: packaging must not need either (test/support/serverless-package.ts).
    // Dev's package is the run's shared one (the runtime-client test unzips the same); the others are this file's.
    for (const stage of STAGES) {
      const stageDir = stage === 'dev' ? await sharedPackage('dev') : join(outDir, stage);
      if (stage !== 'dev') await packageStage(stage, stageDir);
      stageDirs[stage] = stageDir;
      templates[stage] = JSON.parse(await readFile(join(stageDir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
    }
    resources = templates.dev.Resources;
    validator = new TemplateValidator(await loadAwsSchemas());
  }, 240_000);

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

  it('creates a rule for every schedule, disabled where serverless.yml says so, on each stage', () => {
    for (const stage of STAGES) {
      const rules = ofType(templates[stage], 'AWS::Events::Rule').map(([, rule]) => rule);
      const expected = specs[stage].functions.flatMap((fn) => fn.schedules.map((s) => `${s.expression} ${s.enabled ? 'ENABLED' : 'DISABLED'}`));
      expect(rules.map((r) => `${String(r.Properties.ScheduleExpression)} ${String(r.Properties.State)}`).sort(), stage).toEqual(expected.sort());
    }
  });

  it('grants no wildcard IAM action', () => {
    for (const stage of STAGES) {
      const roles = ofType(templates[stage], 'AWS::IAM::Role');
      const text = JSON.stringify(roles);
      expect(roles.length).toBeGreaterThan(0);
      expect(text).not.toMatch(/"Action":\s*"\*"|"[a-z0-9-]+:\*"/);
    }
  });

  it('writes one zip per function holding only its minified ESM bundle', async () => {
    for (const fn of spec.functions) {
      const zip = join(stageDirs.dev, `${fn.name}.zip`);
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
      expect(bundle.length, `${fn.name} bundle bytes`).toBeLessThanOrEqual(400 * 1024);
      expect(bundle).toContain('createRequire');
    }
  });

  describe.each(STAGES)('the %s template', (stage) => {
    const expected = EXPECTED[stage];

    it("passes AWS's published resource schemas: properties, types, required, enums, every Ref/GetAtt/Sub target", () => {
      const template = templates[stage] as unknown as CfnTemplate;

      const findings = validator.validate(template);

      expect(findings).toEqual([]);
      // Every resource was judged against a schema (an unknown type would be a finding above).
      expect(Object.keys(template.Resources).length).toBeGreaterThan(50);
    });

    it('gives each function its own role: its log group, then exactly what it needs, none with a wildcard', () => {
      // Prepare
      const { Resources } = templates[stage];
      const roles = ofType(templates[stage], 'AWS::IAM::Role');

      // Assess: one role per function, no shared role, no managed or inline policy elsewhere
      expect(roles.map(([id]) => id).sort()).toEqual(specs[stage].functions.map((fn) => `${logicalName(fn.name)}Role`).sort());
      expect(ofType(templates[stage], 'AWS::IAM::Policy')).toEqual([]);
      expect(Object.keys(GRANTS).sort()).toEqual(specs[stage].functions.map((fn) => fn.name).sort());
      for (const fn of specs[stage].functions) {
        const id = logicalName(fn.name);
        expect(Resources[`${id}LambdaFunction`]?.Properties.Role, fn.name).toEqual({ 'Fn::GetAtt': [`${id}Role`, 'Arn'] });
        const role = Resources[`${id}Role`]?.Properties ?? {};
        expect(role.ManagedPolicyArns, fn.name).toBeUndefined();
        expect(role.AssumeRolePolicyDocument, fn.name).toEqual({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        });
        const policies = role.Policies as Array<{ PolicyDocument: { Statement: Statement[] } }>;
        const statements = policies.flatMap((policy) => policy.PolicyDocument.Statement);
        expect(statements, fn.name).toEqual(expectedStatements(stage, fn.name));
        for (const statement of statements) {
          for (const action of [statement.Action].flat()) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
          expect(JSON.stringify(statement.Resource)).not.toMatch(/"\*"/);
        }
      }
    });

    it('schedules every job at its rate, the rules enabled as the stage params say', () => {
      // Prepare
      const rules = ofType(templates[stage], 'AWS::Events::Rule').map(([, rule]) => rule.Properties);

      // Assess: one rule per job, on that job's function
      expect(rules).toHaveLength(Object.keys(JOBS).length);
      for (const [job, policy] of Object.entries(JOBS)) {
        const rule = rules.find((properties) => JSON.stringify(properties.Targets).includes(`"${logicalName(job)}LambdaFunction"`));
        expect(rule, job).toMatchObject({ ScheduleExpression: policy.expression, State: expected.schedules });
      }
      // The local runtime reads the same params: it fires what the stage enables.
      const local = specs[stage].functions.flatMap((fn) => fn.schedules.map((s) => s.enabled));
      expect(local).toEqual(local.map(() => expected.schedules === 'ENABLED'));
    });

    it('retries each job as its policy says, then sends it to the dead-letter queue; no HTTP function has either', () => {
      const { Resources } = templates[stage];
      for (const fn of specs[stage].functions) {
        const id = logicalName(fn.name);
        const policy = (JOBS as Record<string, (typeof JOBS)[keyof typeof JOBS] | undefined>)[fn.name];
        const invokeConfig = Resources[`${id}LambdaEvConf`];
        const deadLetter = Resources[`${id}LambdaFunction`]?.Properties.DeadLetterConfig;
        if (policy === undefined) {
          expect(invokeConfig, fn.name).toBeUndefined();
          expect(deadLetter, fn.name).toBeUndefined();
          continue;
        }
        expect(invokeConfig?.Type).toBe('AWS::Lambda::EventInvokeConfig');
        expect(invokeConfig?.Properties, fn.name).toMatchObject({
          FunctionName: { Ref: `${id}LambdaFunction` },
          MaximumRetryAttempts: policy.maximumRetryAttempts,
          MaximumEventAgeInSeconds: policy.maximumEventAgeSeconds,
        });
        expect(deadLetter, fn.name).toEqual({ TargetArn: DLQ_ARN });
      }
    });

    it('creates the dead-letter queue, encrypted, kept as the stage says, and outputs its URL', () => {
      const queues = ofType(templates[stage], 'AWS::SQS::Queue');

      expect(queues.map(([id]) => id)).toEqual(['JobDeadLetterQueue']);
      expect(queues[0]?.[1].Properties).toEqual({
        QueueName: `signal-harvester-${stage}-jobs-dlq`,
        MessageRetentionPeriod: expected.dlqRetentionSeconds,
        SqsManagedSseEnabled: true,
      });
      expect(templates[stage].Outputs?.JobDeadLetterQueueUrl?.Value).toEqual({ Ref: 'JobDeadLetterQueue' });
    });

    it('keeps logs and sizes functions as the stage params say', () => {
      const { Resources } = templates[stage];
      const logGroups = ofType(templates[stage], 'AWS::Logs::LogGroup').map(([, group]) => group.Properties.RetentionInDays);
      expect(logGroups).toHaveLength(specs[stage].functions.length);
      expect(new Set(logGroups)).toEqual(new Set([expected.logRetentionDays]));
      for (const fn of specs[stage].functions) {
        // The local runtime resolves the same memory and timeout the cloud gets.
        expect(Resources[`${logicalName(fn.name)}LambdaFunction`]?.Properties, fn.name).toMatchObject({ MemorySize: fn.memorySize, Timeout: fn.timeoutSeconds });
      }
      expect(Resources.SignalsLambdaFunction?.Properties.MemorySize).toBe(expected.memorySize);
    });
  });

  describe('the schema check, given a template with a planted mistake', () => {
    /** Dev's template with one change made by `plant`, and the findings on it. */
    function findingsAfter(plant: (template: CfnTemplate) => void): Finding[] {
      const template = structuredClone(templates.dev) as unknown as CfnTemplate;
      plant(template);
      return validator.validate(template);
    }
    // `expect.stringContaining` is typed `any`; the finding's message is a string.
    const stringContaining = (text: string): string => expect.stringContaining(text) as string;
    const fn = (template: CfnTemplate): Record<string, unknown> => template.Resources.SignalsLambdaFunction?.Properties ?? {};

    it.each([
      ['an unknown property', (t: CfnTemplate) => void (fn(t).MemorySizeMb = 512), { resource: 'SignalsLambdaFunction', path: '', message: "unknown property 'MemorySizeMb'" }],
      ['a wrong type', (t: CfnTemplate) => void (fn(t).Timeout = 'ten'), { resource: 'SignalsLambdaFunction', path: '/Timeout', message: '"ten" must be integer' }],
      ['a missing required property', (t: CfnTemplate) => void delete fn(t).Code, { resource: 'SignalsLambdaFunction', path: '', message: "missing required property 'Code'" }],
      ['a bad enum value', (t: CfnTemplate) => void (fn(t).Architectures = ['arm65']), { resource: 'SignalsLambdaFunction', path: '/Architectures/0', message: '"arm65" is not one of ["x86_64","arm64"]' }],
      ['a value out of range', (t: CfnTemplate) => void ((t.Resources.DiscoverLambdaEvConf?.Properties ?? {}).MaximumRetryAttempts = 3), { resource: 'DiscoverLambdaEvConf', path: '/MaximumRetryAttempts', message: '3 must be <= 2' }],
      ['a log retention CloudWatch does not offer', (t: CfnTemplate) => void ((t.Resources.SignalsLogGroup?.Properties ?? {}).RetentionInDays = 10), { resource: 'SignalsLogGroup', path: '/RetentionInDays', message: '10 is not one of [1,3,5,7,14,30,60,90,120,150,180,365,400,545,731,1096,1827,2192,2557,2922,3288,3653]' }],
      ['a description over its length', (t: CfnTemplate) => void (fn(t).Description = 'x'.repeat(257)), { resource: 'SignalsLambdaFunction', path: '/Description', message: stringContaining('must NOT have more than 256 characters') }],
      ['a Ref to no resource', (t: CfnTemplate) => void (fn(t).Role = { Ref: 'SignalsRol' }), { resource: 'SignalsLambdaFunction', path: '/Role', message: 'Ref names nothing: "SignalsRol"' }],
      ['a GetAtt of an attribute the type lacks', (t: CfnTemplate) => void (fn(t).Role = { 'Fn::GetAtt': ['SignalsRole', 'Arnn'] }), { resource: 'SignalsLambdaFunction', path: '/Role', message: stringContaining("AWS::IAM::Role has no attribute 'Arnn'") }],
      ['a Sub naming no resource', (t: CfnTemplate) => void (fn(t).Description = { 'Fn::Sub': '${JobDeadLetterQueu.Arn}' }), { resource: 'SignalsLambdaFunction', path: '/Description', message: "Fn::GetAtt names no resource: 'JobDeadLetterQueu'" }],
      ['a DependsOn naming no resource', (t: CfnTemplate) => void ((t.Resources.SignalsLambdaFunction ?? { Type: '' }).DependsOn = ['SignalsLogGroupp']), { resource: 'SignalsLambdaFunction', path: '', message: "DependsOn names no resource: 'SignalsLogGroupp'" }],
      ['an unknown resource type', (t: CfnTemplate) => void ((t.Resources.JobDeadLetterQueue ?? { Type: '' }).Type = 'AWS::SQS::Queues'), { resource: 'JobDeadLetterQueue', path: '', message: "unknown resource type 'AWS::SQS::Queues'" }],
    ])('finds %s, and only that', (_name, plant, finding) => {
      expect(findingsAfter(plant)).toEqual([finding]);
    });

    it("finds a bad enum inside a nested property type (the function's tracing mode)", () => {
      const findings = findingsAfter((t) => {
        fn(t).TracingConfig = { Mode: 'Sometimes' };
      });
      expect(findings).toEqual([{ resource: 'SignalsLambdaFunction', path: '/TracingConfig/Mode', message: '"Sometimes" is not one of ["Active","PassThrough"]' }]);
    });
  });

  it('keeps every schedule on for the local runtime (`npm start`)', () => {
    const local = loadServiceSpec({ path: serverlessYmlPath, stage: 'local' });
    const schedules = local.functions.flatMap((fn) => fn.schedules.map((s) => `${fn.name} ${s.expression} ${String(s.enabled)}`));

    expect(schedules.sort()).toEqual(Object.entries(JOBS).map(([job, policy]) => `${job} ${policy.expression} true`).sort());
  });
});
