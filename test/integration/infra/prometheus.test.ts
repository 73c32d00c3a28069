// The real promtool (Debian's `prometheus` package, installed by infra/local/ensure-services.sh)
// accepts the Prometheus config, the alert rules and their unit tests, and every PromQL query of the
// Grafana dashboards.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { PROMETHEUS_DIR, dashboardExprs, dashboardFiles, interpolateGrafanaVariables, readDashboard } from '../../support/monitoring-assets.js';

const run = promisify(execFile);
const PROMTOOL = process.env.PROMTOOL ?? 'promtool';

interface Outcome {
  code: number;
  output: string;
}

/** Runs promtool; resolves with its exit code and combined output instead of throwing on failure. */
async function promtool(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(PROMTOOL, args, { cwd: PROMETHEUS_DIR, timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    if (failed.code === 'ENOENT') throw new Error(`${PROMTOOL} not found: run \`npm run services\` (it installs the prometheus package)`, { cause: error });
    return { code: typeof failed.code === 'number' ? failed.code : -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('promtool', () => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'signal-harvester-promtool-'));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('accepts infra/prometheus/prometheus.yml and the rule file it loads', async () => {
    // Act
    const outcome = await promtool('check', 'config', join(PROMETHEUS_DIR, 'prometheus.yml'));

    // Assess
    expect(outcome.output).toContain('SUCCESS');
    expect(outcome.code, outcome.output).toBe(0);
  });

  it('accepts infra/prometheus/alerts.yml, lint included', async () => {
    // Act
    const outcome = await promtool('check', 'rules', join(PROMETHEUS_DIR, 'alerts.yml'));

    // Assess
    expect(outcome.code, outcome.output).toBe(0);
  });

  it('passes the alert unit tests of infra/prometheus/alerts.test.yml', async () => {
    // Act
    const outcome = await promtool('test', 'rules', join(PROMETHEUS_DIR, 'alerts.test.yml'));

    // Assess
    expect(outcome.output).toContain('SUCCESS');
    expect(outcome.code, outcome.output).toBe(0);
  }, 60_000);

  it('parses every query of the Grafana dashboards, once Grafana has filled in its variables', async () => {
    // Prepare: each query becomes a recording rule, which `check rules` parses.
    const rules = dashboardFiles().flatMap((file) =>
      dashboardExprs(readDashboard(file)).map((expr, index) => ({
        record: `dashboard:${file.replace(/\W/g, '_')}:query_${index}`,
        expr: interpolateGrafanaVariables(expr),
      })),
    );
    const path = join(scratch, 'dashboard-queries.yml');
    await writeFile(path, stringify({ groups: [{ name: 'dashboards', rules }] }));

    // Act
    const outcome = await promtool('check', 'rules', path);

    // Assess
    expect(rules.length).toBeGreaterThan(40);
    expect(outcome.code, outcome.output).toBe(0);
    expect(outcome.output).toContain(`SUCCESS: ${rules.length} rules found`);
  });
});
