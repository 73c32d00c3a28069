// What both push targets share (lib/metrics/pushgateway.ts, lib/metrics/victoria-metrics.ts): the
// grouping labels every container pushes under, how a strategy sends them, and a target URL whose
// credentials travel as a Basic header (fetch refuses URLs that carry them).
import type { RegistryType } from './prom.js';

/** Grouping labels, `job` first in the URL; values may be anything (see `groupingPath`). */
export type Grouping = Readonly<Record<string, string>> & { readonly job: string };

export interface PushStrategy {
  /**
   * Sends `registry` under `grouping`. Rejects on any failure (a `PushgatewayError` when the gateway
   * answered with an error status) and gives up as soon as `signal` aborts.
   */
  push(registry: RegistryType, grouping: Grouping, signal: AbortSignal): Promise<void>;
}

/** A label value in a grouping-key URL: plain when it can be, `@base64` (URL-safe) otherwise. */
function groupingSegment(name: string, value: string): string {
  if (value === '') return `/${name}@base64/=`;
  if (value.includes('/')) return `/${name}@base64/${Buffer.from(value, 'utf8').toString('base64url')}`;
  return `/${name}/${encodeURIComponent(value)}`;
}

/** `/job/<job>/<name>/<value>…`: the path of a group under `/metrics`, values with `/` in base64. */
export function groupingPath(grouping: Grouping): string {
  let path = groupingSegment('job', grouping.job);
  for (const [name, value] of Object.entries(grouping)) {
    if (name !== 'job') path += groupingSegment(name, value);
  }
  return path;
}

export interface PushgatewayTarget {
  /** The base URL without credentials or trailing slash. */
  base: string;
  /** `Authorization: Basic …` when the URL carried credentials (fetch refuses such URLs). */
  headers: Readonly<Record<string, string>>;
}

/** Splits credentials out of a Pushgateway URL (`https://user:pass@host/prefix`). */
export function pushgatewayTarget(url: string): PushgatewayTarget {
  const parsed = new URL(url);
  const headers: Record<string, string> = {};
  if (parsed.username !== '' || parsed.password !== '') {
    const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
    headers.authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
    parsed.username = '';
    parsed.password = '';
  }
  return { base: parsed.href.replace(/\/+$/, ''), headers };
}
