// Every metric the alerts and dashboards query must be one the code defines (lib/**: `new
// Counter({ name: … })`, Gauge, Histogram), so a rename in the code cannot silently blind a panel
// or an alert. The Pushgateway's own push_time_seconds / push_failure_time_seconds and
// Prometheus' `up` are the exceptions; recording rules must be defined in alerts.yml.
import { describe, expect, it } from 'vitest';
import {
  NOT_FROM_THE_CODE,
  alertRules,
  dashboardExprs,
  dashboardFiles,
  metricNamesIn,
  metricOf,
  metricsDefinedInCode,
  readDashboard,
} from '../../support/monitoring-assets.js';

const defined = metricsDefinedInCode();
const definedNames = new Set(defined.keys());
const recorded = new Set(alertRules().flatMap((rule) => (rule.record === undefined ? [] : [rule.record])));

/** The names in `exprs` that neither the code, the Pushgateway nor a recording rule provides, with one expression using each. */
function unknownNames(exprs: string[]): Record<string, string> {
  const unknown: Record<string, string> = {};
  for (const expr of exprs) {
    for (const name of metricNamesIn(expr)) {
      if (NOT_FROM_THE_CODE.has(name) || recorded.has(name) || definedNames.has(metricOf(name, definedNames))) continue;
      unknown[name] ??= expr.replace(/\s+/g, ' ').trim();
    }
  }
  return unknown;
}

describe('metricNamesIn', () => {
  it('finds the selected metrics and nothing else', () => {
    // Prepare
    const expr = `histogram_quantile(0.95, sum by (function, le) (rate(http_request_duration_seconds_bucket{job="signal-harvester", status=~"5.."}[5m])))
      > 1 and on (function) sum without (instance) (increase(db_queries_total{table=~"$table"}[$__rate_interval] offset 10m)) > 2 * signal_harvester:job_schedule_seconds
      or time() - max(push_time_seconds) > bool 1e3 unless label_replace(vector(1), "function", "x", "", "")`;

    // Act
    const names = metricNamesIn(expr);

    // Assess
    expect(names.sort()).toEqual(['db_queries_total', 'http_request_duration_seconds_bucket', 'push_time_seconds', 'signal_harvester:job_schedule_seconds']);
  });

  it('maps histogram series to their histogram only when the code defines the histogram', () => {
    // Prepare
    const known = new Set(['db_query_duration_seconds']);

    // Act, Assess
    expect(metricOf('db_query_duration_seconds_bucket', known)).toBe('db_query_duration_seconds');
    expect(metricOf('db_query_duration_seconds_count', known)).toBe('db_query_duration_seconds');
    expect(metricOf('http_requests_count', known)).toBe('http_requests_count');
  });
});

describe('metric definitions in lib/', () => {
  it('are found by the scan', () => {
    // Assess: the rate-limit metrics are the oldest definitions; if the scan misses them, it is broken.
    expect(definedNames).toContain('rate_limit_requests_total');
  });
});

describe('the metrics queried by the monitoring kit', () => {
  it('in infra/prometheus/alerts.yml are all defined by the code', () => {
    // Prepare
    const exprs = alertRules().map((rule) => rule.expr);

    // Act
    const unknown = unknownNames(exprs);

    // Assess
    expect(exprs.flatMap(metricNamesIn).length).toBeGreaterThan(0);
    expect(unknown, `not defined under lib/ (new Counter/Gauge/Histogram({ name })): ${Object.keys(unknown).join(', ')}`).toEqual({});
  });

  it.each(dashboardFiles())('in infra/grafana/dashboards/%s are all defined by the code', (file) => {
    // Prepare
    const exprs = dashboardExprs(readDashboard(file));

    // Act
    const unknown = unknownNames(exprs);

    // Assess
    expect(exprs.flatMap(metricNamesIn).length).toBeGreaterThan(0);
    expect(unknown, `not defined under lib/ (new Counter/Gauge/Histogram({ name })): ${Object.keys(unknown).join(', ')}`).toEqual({});
  });
});
