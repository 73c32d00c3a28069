// JOB_NAMES, serverless.yml and the IAM statement agree: every scheduled function is a job the
// admin API can start, the admin function may invoke exactly the jobs (no other function, no
// wildcard), and FUNCTION_NAME_PREFIX builds the names serverless deploys functions under.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadServiceSpec } from '../../../../infra/local/serverless-config.js';
import { serverlessYmlPath } from '../../../../infra/local/settings.js';
import { isJobName, JOB_NAMES } from '../../../../lib/jobs/names.js';

const spec = loadServiceSpec({ path: serverlessYmlPath, stage: 'dev' });

describe('the job names', () => {
  it('include every scheduled function of serverless.yml', () => {
    const scheduled = spec.functions.filter((fn) => fn.schedules.length > 0).map((fn) => fn.name);

    expect(scheduled).toContain('janitor');
    expect(scheduled.filter((name) => !isJobName(name))).toEqual([]);
  });

  it('are exactly the functions the IAM statement lets the role invoke', () => {
    // Prepare: the lambda:InvokeFunction statement's resources, as written (CloudFormation !Sub)
    const text = readFileSync(serverlessYmlPath, 'utf8');
    const statement = /- lambda:InvokeFunction\n\s+Resource:\n((?:\s+- !Sub .+\n)+)/.exec(text)?.[1] ?? '';
    const invocable = [...statement.matchAll(/:function:\$\{self:service\}-\$\{sls:stage\}-([a-z0-9-]+)'/g)].map((match) => match[1]);

    // Assess
    expect(invocable.sort()).toEqual([...JOB_NAMES].sort());
    // … and lambda:InvokeFunction is the only Lambda action granted at all
    expect(text.match(/^\s+- lambda:\S+$/gm)?.map((line) => line.trim())).toEqual(['- lambda:InvokeFunction']);
  });

  it('become deployed function names through FUNCTION_NAME_PREFIX', () => {
    expect(spec.environment.FUNCTION_NAME_PREFIX).toBe('signal-harvester-dev-');
  });

  it('tell job names from anything else', () => {
    expect(JOB_NAMES.every((name) => isJobName(name))).toBe(true);
    expect(['', 'Janitor', 'janitor ', 'constructor', 'admin'].some((name) => isJobName(name))).toBe(false);
  });
});
