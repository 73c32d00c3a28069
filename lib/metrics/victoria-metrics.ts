// The second push target (ARCHITECTURE §8): each container POSTs its registry straight into
// VictoriaMetrics' Prometheus import API, `/api/v1/import/prometheus`, with the grouping labels
// {job, function, instance} as `extra_label`s, so the series look exactly as they do scraped from
// the Pushgateway (an `extra_label` replaces a pushed label of the same name, as the grouping key
// does). Nothing single-process stands in between: VictoriaMetrics scales out as a cluster
// (vminsert), and there is no group to clean up; a container's series simply stop.
//
// Every push is a stored sample, so two things the Pushgateway's scraper gives for free are written
// here, from the container's own clock:
// - the samples carry the push's timestamp, and `push_time_seconds` is added, as the Pushgateway
//   adds it (FunctionStoppedPushing reads it);
// - a counter or histogram series this container has not pushed before is "born" at 0, one sample
//   at its previous push (or its start): without it `increase()` cannot see the first increments of a
//   new container, and every new container would lose them (Prometheus' `increase` never counts a
//   series' first sample; MetricsQL's counts it only when it is small next to the later steps).
import type { RegistryType } from './prom.js';
import { groupingPath, pushgatewayTarget, type Grouping, type PushStrategy } from './push-common.js';
import { PushgatewayError } from '../errors.js';

export const IMPORT_PATH = '/api/v1/import/prometheus';

export interface ImportStrategyOptions {
  /** VictoriaMetrics base URL (credentials allowed): single node `http://vm:8428`, or a cluster's `http://vminsert:8480/insert/0/prometheus`. */
  url: string;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Clock in milliseconds (sample timestamps). Default `Date.now`. */
  now?: () => number;
  /** When this container started, ms: the birth time of series in its first push. Default: when the strategy was made. */
  startedAt?: number;
}

/** What one grouping has pushed so far. */
interface GroupState {
  /** Counter and histogram series (`name{labels}`) already pushed: they need no birth sample. */
  series: Set<string>;
  /** Timestamp of the last successful push, ms (the container's start before the first). */
  lastPushMs: number;
}

const SAMPLE_TYPES = new Set(['counter', 'histogram']);

/**
 * Rewrites prom-client's exposition text for the import API: every sample stamped `nowMs`, and a
 * `0` sample at `bornAtMs` before each counter or histogram series not in `known`. Returns the body
 * and the series it gave a birth sample.
 */
export function importBody(text: string, known: ReadonlySet<string>, nowMs: number, bornAtMs: number): { body: string; born: string[] } {
  const out: string[] = [];
  const born: string[] = [];
  const stamp = ` ${String(nowMs)}`;
  const birth = ` 0 ${String(Math.min(bornAtMs, nowMs - 1))}`;
  let counting = false;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (line.startsWith('# TYPE ')) counting = SAMPLE_TYPES.has(line.slice(line.lastIndexOf(' ') + 1));
      continue;
    }
    // A sample is `series value` (prom-client writes no timestamps); label values may hold spaces, the value cannot.
    const series = line.slice(0, line.lastIndexOf(' '));
    if (counting && !known.has(series)) {
      born.push(series);
      out.push(series + birth);
    }
    out.push(line + stamp);
  }
  out.push(`push_time_seconds ${String(nowMs / 1000)}${stamp}`);
  return { body: `${out.join('\n')}\n`, born };
}

/** The import URL of a grouping: its labels as `extra_label=name=value`. */
export function importUrl(base: string, grouping: Grouping): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(grouping)) query.append('extra_label', `${name}=${value}`);
  return `${base}${IMPORT_PATH}?${query.toString()}`;
}

/** Pushes to VictoriaMetrics' import API; see the top of this file. */
export function importStrategy(options: ImportStrategyOptions): PushStrategy {
  const target = pushgatewayTarget(options.url);
  const send = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const startedAt = options.startedAt ?? now();
  const groups = new Map<string, GroupState>();
  return {
    async push(registry: RegistryType, grouping: Grouping, signal: AbortSignal) {
      const key = groupingPath(grouping);
      const state = groups.get(key) ?? { series: new Set<string>(), lastPushMs: startedAt };
      const nowMs = now();
      const { body, born } = importBody(await registry.metrics(), state.series, nowMs, state.lastPushMs);
      const response = await send(importUrl(target.base, grouping), {
        method: 'POST',
        headers: { ...target.headers, 'content-type': 'text/plain' },
        body,
        signal,
      });
      // Read to the end either way, so the keep-alive connection is free for the next push.
      const answer = await response.text();
      if (!response.ok) {
        throw new PushgatewayError(`VictoriaMetrics refused the push (${String(response.status)}): ${answer.slice(0, 200)}`, response.status);
      }
      // Only once stored: a failed push's births are sent again with the next one.
      for (const series of born) state.series.add(series);
      state.lastPushMs = nowMs;
      groups.set(key, state);
    },
  };
}
