// Loads the monitoring kit (infra/prometheus, infra/grafana) for the tests beside this file and
// test/integration/infra/monitoring, and reads metric names out of PromQL and out of the
// metric definitions under lib/.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PROMETHEUS_DIR = join(ROOT, 'infra/prometheus');
export const GRAFANA_DIR = join(ROOT, 'infra/grafana');
export const DASHBOARDS_DIR = join(GRAFANA_DIR, 'dashboards');

export interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleFile {
  groups: Array<{ name: string; interval?: string; rules: Rule[] }>;
}

/** A dashboard as far as the tests look into it; panels may nest inside collapsed rows. */
export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  time: { from: string; to: string };
  templating: { list: Array<{ name: string; type: string; query?: unknown }> };
  panels: Panel[];
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: Array<{ refId: string; expr: string; datasource?: { type: string; uid: string } }>;
  panels?: Panel[];
}

export function readYaml<T>(path: string): T {
  return parse(readFileSync(path, 'utf8')) as T;
}

export function alertRules(): Rule[] {
  return readYaml<RuleFile>(join(PROMETHEUS_DIR, 'alerts.yml')).groups.flatMap((group) => group.rules);
}

export function dashboardFiles(): string[] {
  return readdirSync(DASHBOARDS_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

export function readDashboard(file: string): Dashboard {
  return JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), 'utf8')) as Dashboard;
}

/** Every panel of a dashboard, rows' nested panels included. */
export function allPanels(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** Every PromQL expression of a dashboard: panel targets and `label_values(...)` variable queries. */
export function dashboardExprs(dashboard: Dashboard): string[] {
  const targets = allPanels(dashboard).flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
  const variables = dashboard.templating.list.flatMap((variable) => {
    const query = typeof variable.query === 'object' && variable.query !== null ? (variable.query as { query?: unknown }).query : variable.query;
    const selector = typeof query === 'string' ? /^label_values\((.*),\s*\w+\)$/s.exec(query)?.[1] : undefined;
    return selector === undefined ? [] : [selector];
  });
  return [...targets, ...variables];
}

/** Grafana's variables as Prometheus would see them after Grafana interpolated them. */
export function interpolateGrafanaVariables(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__interval', '15m')
    .replaceAll('$__range', '6h')
    .replace(/\$\{?\w+\}?/g, '.*');
}

const PROMQL_WORDS = new Set([
  // aggregation operators (they may be followed by `by (...)` instead of a parenthesis)
  'sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile', 'limitk', 'limit_ratio',
  // modifiers, set and comparison keywords, literals
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'offset', 'bool', 'atan2', 'inf', 'nan', 'start', 'end',
]);

/**
 * The metric names a PromQL expression selects. Strings, label matchers, ranges, label lists of
 * `by`/`on`/…, Grafana variables, numbers, functions and keywords are not metric names.
 */
export function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/\$\{[^}]*\}|\$\w+/g, ' ')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ');
  const names = new Set<string>();
  for (const match of bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*|\d[\w.]*/g)) {
    const token = match[0];
    if (/^\d/.test(token) || PROMQL_WORDS.has(token.toLowerCase())) continue;
    const rest = bare.slice(match.index + token.length);
    if (/^\s*\(/.test(rest)) continue; // a function call
    names.add(token);
  }
  return [...names];
}

/** Names the Pushgateway and Prometheus add themselves; the code never defines them. */
export const NOT_FROM_THE_CODE = new Set(['push_time_seconds', 'push_failure_time_seconds', 'up']);

const HISTOGRAM_SERIES = /_(bucket|sum|count)$/;

/** The metric a series name belongs to: `x_bucket`, `x_sum` and `x_count` belong to `x` if the code defines `x`. */
export function metricOf(series: string, defined: ReadonlySet<string>): string {
  if (defined.has(series)) return series;
  const base = series.replace(HISTOGRAM_SERIES, '');
  return defined.has(base) ? base : series;
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const METRIC_DEFINITION = /new\s+[\w.]*?(?:Counter|Gauge|Histogram|Summary)\w*\s*(?:<[^>]*>)?\s*\(\s*\{[^}]*?\bname:\s*(['"`])([A-Za-z_:][A-Za-z0-9_:]*)\1/g;

/** The metric names defined under lib/ (`new Counter({ name: '…' })`, Gauge, Histogram, Summary), with the file of each. */
export function metricsDefinedInCode(): Map<string, string> {
  const defined = new Map<string, string>();
  for (const file of typeScriptFiles(join(ROOT, 'lib'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(METRIC_DEFINITION)) {
      defined.set(match[2] as string, relative(ROOT, file));
    }
  }
  return defined;
}
