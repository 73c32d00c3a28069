// The Pushgateway forgets nothing by itself: every Lambda container leaves a group behind, so this
// job deletes this service's groups whose last successful push (`push_time_seconds`, set by the
// Pushgateway's clock) is older than a TTL. Other jobs' groups are never touched. A pipeline: list
// the groups, pick the stale ones (pure), delete them a few at a time within the time left.
import { getConfig } from '../config.js';
import { PushgatewayError } from '../errors.js';
import { log } from '../log/index.js';
import { recordJobRun, type JobStatus } from './job-metrics.js';
import { groupingPath, maybeFlush, PUSH_JOB, pushgatewayTarget, SAFETY_MARGIN_MS, type Grouping } from './pushgateway.js';

/** Deletes in flight at once: quick on a few groups, gentle on a Pushgateway holding thousands. */
const DELETE_CONCURRENCY = 8;
/** Budget of one call to the Pushgateway (the listing can be large), capped by the time left. */
const CALL_TIMEOUT_MS = 10_000;

/** One group as the Pushgateway lists it: its grouping labels and its last successful push. */
export interface PushGroup {
  labels: Grouping;
  /** Unix seconds of the last successful push; 0 when the Pushgateway reports none. */
  pushTimeSeconds: number;
}

export interface JanitorResult {
  /** Grouping labels of the groups deleted. */
  deleted: Grouping[];
  /** This job's groups left in place because they are fresh. */
  kept: number;
  /** Stale groups whose delete failed (or found no time left); the next run tries again. */
  failed: number;
  /** Why nothing was looked at, when nothing was. */
  skipped?: 'no_pushgateway';
}

/** `GET /api/v1/metrics`, reduced to what the janitor reads. */
interface MetricsApiResponse {
  status: string;
  data: Array<{ labels: Record<string, string>; push_time_seconds?: { metrics?: Array<{ value?: string }> } }>;
}

export interface SweepOptions {
  /** Pushgateway base URL, credentials allowed. */
  url: string;
  /** Groups not pushed to for longer than this, ms, are deleted. */
  ttlMs: number;
  /** Only groups of this job are considered. Default `signal-harvester`. */
  job?: string;
  /** Time left for the whole sweep, ms. Default: unbounded (each call still has its own budget). */
  remainingMs?: () => number;
  /** Clock in milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

/** The groups of `job` whose last push is more than `ttlMs` before `nowMs`, and how many are not. */
export function staleGroups(groups: readonly PushGroup[], job: string, ttlMs: number, nowMs: number): { stale: PushGroup[]; kept: number } {
  const stale: PushGroup[] = [];
  let kept = 0;
  for (const group of groups) {
    if (group.labels.job !== job) continue;
    if (nowMs - group.pushTimeSeconds * 1000 > ttlMs) stale.push(group);
    else kept += 1;
  }
  return { stale, kept };
}

function callSignal(remainingMs: () => number): AbortSignal {
  return AbortSignal.timeout(Math.max(1, Math.min(CALL_TIMEOUT_MS, remainingMs() - SAFETY_MARGIN_MS)));
}

async function listGroups(options: SweepOptions & { remainingMs: () => number }): Promise<PushGroup[]> {
  const target = pushgatewayTarget(options.url);
  const send = options.fetch ?? fetch;
  const response = await send(`${target.base}/api/v1/metrics`, { headers: target.headers, signal: callSignal(options.remainingMs) });
  if (!response.ok) {
    throw new PushgatewayError(`Pushgateway refused to list its groups (${String(response.status)})`, response.status);
  }
  const body = (await response.json()) as MetricsApiResponse;
  return body.data
    .filter((group) => typeof group.labels.job === 'string')
    .map((group) => ({
      labels: group.labels as Grouping,
      pushTimeSeconds: Number(group.push_time_seconds?.metrics?.[0]?.value ?? 0) || 0,
    }));
}

async function deleteGroup(labels: Grouping, options: SweepOptions & { remainingMs: () => number }): Promise<void> {
  const target = pushgatewayTarget(options.url);
  const send = options.fetch ?? fetch;
  const response = await send(`${target.base}/metrics${groupingPath(labels)}`, {
    method: 'DELETE',
    headers: target.headers,
    signal: callSignal(options.remainingMs),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new PushgatewayError(`Pushgateway refused to delete a group (${String(response.status)})`, response.status);
}

/** Lists the Pushgateway's groups and deletes this job's stale ones. Throws when it cannot list. */
export async function sweepPushgateway(options: SweepOptions): Promise<JanitorResult> {
  const now = options.now ?? Date.now;
  const withClock = { ...options, remainingMs: options.remainingMs ?? (() => Number.POSITIVE_INFINITY) };
  const groups = await listGroups(withClock);
  const { stale, kept } = staleGroups(groups, options.job ?? PUSH_JOB, options.ttlMs, now());
  const deleted: Grouping[] = [];
  let failed = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < stale.length) {
      const group = stale[next++] as PushGroup;
      if (withClock.remainingMs() - SAFETY_MARGIN_MS <= 0) {
        failed += 1;
        continue;
      }
      try {
        await deleteGroup(group.labels, withClock);
        deleted.push(group.labels);
      } catch (error) {
        failed += 1;
        log.warn('pushgateway group delete failed', { group: groupingPath(group.labels), error: error as Error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, stale.length) }, worker));
  return { deleted, kept, failed };
}

export interface JanitorRunOptions {
  /** The job's serverless.yml name: its job metrics and its own push are labelled with it. */
  functionName: string;
  /** The Lambda's remaining time, ms. */
  remainingMs: () => number;
}

/**
 * One scheduled run: sweep per configuration (PUSHGATEWAY_URL, PUSHGATEWAY_GROUP_TTL_MS), log the
 * outcome, record the job metrics, and push this container's metrics at the end, success or not.
 */
export async function runJanitor(options: JanitorRunOptions): Promise<JanitorResult> {
  const config = getConfig();
  const jobLog = log.child({ function_name: options.functionName });
  const started = performance.now();
  let status: JobStatus = 'failed';
  try {
    if (config.PUSHGATEWAY_URL === undefined) {
      jobLog.info('pushgateway janitor skipped', { reason: 'no_pushgateway' });
      status = 'skipped';
      return { deleted: [], kept: 0, failed: 0, skipped: 'no_pushgateway' };
    }
    const result = await sweepPushgateway({ url: config.PUSHGATEWAY_URL, ttlMs: config.PUSHGATEWAY_GROUP_TTL_MS, remainingMs: options.remainingMs });
    status = result.failed === 0 ? 'succeeded' : 'failed';
    jobLog.info('pushgateway janitor finished', {
      deleted: result.deleted.length,
      kept: result.kept,
      failed: result.failed,
      // The first few are enough to see what happened; the count says the rest.
      deleted_groups: result.deleted.slice(0, 20).map((labels) => groupingPath(labels)),
    });
    return result;
  } catch (error) {
    jobLog.error('pushgateway janitor failed', { error: error as Error });
    throw error;
  } finally {
    recordJobRun(options.functionName, status, (performance.now() - started) / 1000);
    await maybeFlush({ functionName: options.functionName, remainingMs: options.remainingMs(), force: true });
  }
}
