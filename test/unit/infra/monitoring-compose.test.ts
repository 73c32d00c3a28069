// The monitoring kit's files parse and hold together: the compose file, Grafana's provisioning and
// dashboards, Prometheus' config and rules (which promtool checks in
// test/integration/infra/prometheus.test.ts), and the runbook each alert points at.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  GRAFANA_DIR,
  PROMETHEUS_DIR,
  ROOT,
  alertRules,
  allPanels,
  dashboardExprs,
  dashboardFiles,
  readDashboard,
  readYaml,
  type Rule,
} from '../../support/monitoring-assets.js';

interface ComposeService {
  image: string;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  network_mode?: string;
}

interface AlertTestFile {
  rule_files: string[];
  tests: Array<{ name: string; alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
}

const alerts = alertRules().filter((rule): rule is Rule & { alert: string } => rule.alert !== undefined);
/** Recording rules by the series they record (several rules may record one series, by label). */
const recorded = new Map<string, string[]>();
for (const rule of alertRules()) if (rule.record !== undefined) recorded.set(rule.record, [...(recorded.get(rule.record) ?? []), rule.expr]);

/** An alert's expression with each recorded series it reads replaced by the expressions that record it. */
function expanded(expr: string): string {
  return expr.replace(/signal_harvester:[a-z_]+/g, (name) => (recorded.get(name) ?? [name]).join(' '));
}

describe('infra/monitoring-compose.yml', () => {
  const compose = readYaml<{ services: Record<string, ComposeService> }>(join(ROOT, 'infra/monitoring-compose.yml'));

  it('runs the Pushgateway, Prometheus and Grafana on localhost ports 9091, 9090 and 3001', () => {
    // Prepare
    const ports = Object.values(compose.services).flatMap((service) => service.ports ?? []);

    // Assess
    expect(Object.keys(compose.services).sort()).toEqual(['grafana', 'prometheus', 'pushgateway']);
    expect(compose.services.pushgateway?.image).toMatch(/^prom\/pushgateway:/);
    expect(compose.services.prometheus?.image).toMatch(/^prom\/prometheus:/);
    expect(compose.services.grafana?.image).toMatch(/^grafana\/grafana:/);
    expect(ports.sort()).toEqual(['127.0.0.1:3001:3000', '127.0.0.1:9090:9090', '127.0.0.1:9091:9091']);
  });

  it('keeps the Pushgateway\'s groups on disk and enables its admin API', () => {
    // Assess
    expect(compose.services.pushgateway?.command).toEqual(
      expect.arrayContaining([expect.stringMatching(/^--persistence\.file=\S+/), '--web.enable-admin-api']),
    );
  });

  it('mounts the Prometheus config and Grafana\'s provisioning and dashboards', () => {
    // Assess
    expect(compose.services.prometheus?.volumes).toContain('./prometheus:/etc/prometheus:ro');
    expect(compose.services.prometheus?.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect(compose.services.grafana?.volumes).toEqual(
      expect.arrayContaining(['./grafana/provisioning:/etc/grafana/provisioning:ro', './grafana/dashboards:/var/lib/grafana/dashboards:ro']),
    );
  });

  it('shares the Pushgateway\'s network, so the 127.0.0.1 addresses of the configs reach their peers', () => {
    // Assess
    expect(compose.services.prometheus?.network_mode).toBe('service:pushgateway');
    expect(compose.services.grafana?.network_mode).toBe('service:pushgateway');
  });
});

describe('infra/grafana/provisioning', () => {
  it('provides the Prometheus data source', () => {
    // Act
    const file = readYaml<{ apiVersion: number; datasources: Array<{ type: string; uid: string; url: string }> }>(
      join(GRAFANA_DIR, 'provisioning/datasources/prometheus.yml'),
    );

    // Assess
    expect(file.apiVersion).toBe(1);
    expect(file.datasources).toEqual([expect.objectContaining({ type: 'prometheus', uid: 'prometheus', url: 'http://127.0.0.1:9090' })]);
  });

  it('loads the dashboards from where the compose file mounts them', () => {
    // Act
    const file = readYaml<{ apiVersion: number; providers: Array<{ type: string; options: { path: string } }> }>(
      join(GRAFANA_DIR, 'provisioning/dashboards/dashboards.yml'),
    );

    // Assess
    expect(file.apiVersion).toBe(1);
    expect(file.providers.map((provider) => [provider.type, provider.options.path])).toEqual([['file', '/var/lib/grafana/dashboards']]);
  });
});

describe('infra/grafana/dashboards', () => {
  it('holds the four dashboards of the seed, and the LLM and topics-and-caches ones, each with its own uid', () => {
    // Prepare
    const files = dashboardFiles();

    // Act
    const uids = files.map((file) => readDashboard(file).uid);

    // Assess
    expect(files).toEqual(['api-performance.json', 'database.json', 'discovery-pipeline.json', 'llm.json', 'rate-limiting.json', 'topics-caches.json']);
    expect(new Set(uids).size).toBe(files.length);
  });

  it.each(dashboardFiles())('%s is a dashboard with a uid, a title, a time range and panels', (file) => {
    // Act
    const dashboard = readDashboard(file);

    // Assess
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
    expect(dashboard.title).toMatch(/^Signal Harvester \/ /);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.time.from).toMatch(/^now-\d+[mhd]$/);
    expect(dashboard.time.to).toBe('now');
    expect(dashboard.panels.length).toBeGreaterThan(0);
  });

  it.each(dashboardFiles())('%s queries Prometheus through its ${datasource} variable in every panel', (file) => {
    // Prepare
    const dashboard = readDashboard(file);
    const panels = allPanels(dashboard).filter((panel) => panel.type !== 'row');

    // Assess
    expect(dashboard.templating.list).toContainEqual(expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }));
    for (const panel of panels) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        expect(target.expr.trim(), panel.title).not.toBe('');
        expect(target.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      }
    }
    expect(dashboardExprs(dashboard).length).toBeGreaterThan(panels.length - 1);
  });

  it.each(dashboardFiles())('%s has unique panel ids and panels inside the 24-column grid', (file) => {
    // Prepare
    const panels = allPanels(readDashboard(file));

    // Assess
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    for (const { title, gridPos } of panels) {
      expect(gridPos.x + gridPos.w, title).toBeLessThanOrEqual(24);
      expect(gridPos.h, title).toBeGreaterThan(0);
    }
  });
});

describe('infra/prometheus', () => {
  it('scrapes the Pushgateway every 15 s, keeping the pushed labels, and loads alerts.yml', () => {
    // Act
    const config = readYaml<{
      global: { scrape_interval: string };
      rule_files: string[];
      scrape_configs: Array<{ job_name: string; honor_labels?: boolean; scrape_interval?: string; static_configs: Array<{ targets: string[] }> }>;
    }>(join(PROMETHEUS_DIR, 'prometheus.yml'));

    // Assess
    expect(config.rule_files).toEqual(['alerts.yml']);
    expect(config.scrape_configs).toEqual([
      expect.objectContaining({ job_name: 'pushgateway', honor_labels: true, scrape_interval: '15s', static_configs: [{ targets: ['127.0.0.1:9091'] }] }),
    ]);
  });

  it('names the Pushgateway target exactly once, so a test can replace it in the text', () => {
    // Act
    const text = readFileSync(join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8');

    // Assess
    expect(text.split('127.0.0.1:9091').length - 1).toBe(1);
  });

  it.each(alerts.map((rule) => [rule.alert, rule] as const))('alert %s has a duration, a severity, a summary, a description and a runbook', (alert, rule) => {
    // Assess
    expect(rule.for).toMatch(/^\d+[smh]$/);
    expect(['critical', 'warning']).toContain(rule.labels?.severity);
    expect(rule.annotations?.summary).toBeTruthy();
    expect(rule.annotations?.description).toBeTruthy();
    expect(rule.annotations?.runbook).toBe(`infra/prometheus/README.md#runbook-${alert.toLowerCase()}`);
  });

  it.each(alerts.map((rule) => [rule.alert, rule] as const))('alert %s aggregates across containers', (_alert, rule) => {
    // Assess: per function or per source (or, for the Pushgateway itself, per scrape job), never per instance.
    // A recording rule the alert reads counts as part of it (the outbox depth is recorded as one max over the containers).
    const expr = expanded(rule.expr);
    expect(expr).toMatch(/sum by \(function\)|max by \(function\)|max by \(source\)|by \(function, le\)|up\{job="pushgateway"\}|^\s*max\(/m);
    expect(expr).not.toMatch(/by \([^)]*instance/);
  });

  it('has a runbook section for every alert in infra/prometheus/README.md', () => {
    // Prepare
    const readme = readFileSync(join(PROMETHEUS_DIR, 'README.md'), 'utf8');

    // Act: GitHub's anchor of "### Runbook: HighErrorRate" is #runbook-higherrorrate.
    const anchors = [...readme.matchAll(/^#+ (.+)$/gm)].map((match) => (match[1] as string).toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-'));

    // Assess
    for (const { alert } of alerts) expect(anchors).toContain(`runbook-${alert.toLowerCase()}`);
  });

  it('tests every alert both firing and quiet in alerts.test.yml', () => {
    // Prepare
    const file = parse(readFileSync(join(PROMETHEUS_DIR, 'alerts.test.yml'), 'utf8')) as AlertTestFile;
    const cases = file.tests.flatMap((test) => test.alert_rule_test ?? []);

    // Assess
    expect(file.rule_files).toEqual(['alerts.yml']);
    for (const { alert } of alerts) {
      expect(cases.some((c) => c.alertname === alert && c.exp_alerts.length > 0), `${alert} firing`).toBe(true);
      expect(cases.some((c) => c.alertname === alert && c.exp_alerts.length === 0), `${alert} quiet`).toBe(true);
    }
  });
});
