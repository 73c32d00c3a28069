// The Pushgateway sweep. The Pushgateway forgets nothing by itself: every Lambda container leaves a
// group behind, so the janitor job deletes this service's groups whose last successful push
// (`push_time_seconds`, set by the Pushgateway's clock) is older than a TTL. Other jobs' groups are
// never touched. A pipeline: list the groups, pick the stale ones (pure), delete them a few at a
// time within the time left. This is one part of the janitor's work, beside retention
// (lib/housekeeping/housekeep.ts composes them); the run itself (lock, job_runs row, job metrics,
// the final push) is lib/jobs/run-job.ts's `runJob`.
import { getConfig } from '../config.js';
import { PushgatewayError } from '../errors.js';
import { log } from '../log/index.js';
import type { JobContext } from '../model/job-context.js';
import { groupingPath, PUSH_JOB, pushgatewayTarget, SAFETY_MARGIN_MS, type Grouping } from './pushgateway.js';

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

export interface SweepResult {
  /** Grouping labels of the groups deleted. */
  deleted: Grouping[];
  /** This job's groups left in place because they are fresh. */
  kept: number;
  /** Stale groups whose delete failed (or found no time left); the next run tries again. */
  failed: number;
  /** Why nothing was looked at, when nothing was. */
  skipped?: 'no_pushgateway';
}

/** `GET /api/v1/metrics`, reduced to what the sweep reads. */
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
  /** Aborts every call in flight (the job's time budget). Default: none. */
  signal?: AbortSignal;
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

function callSignal(options: { remainingMs: () => number; signal?: AbortSignal }): AbortSignal {
  const timeout = AbortSignal.timeout(Math.max(1, Math.min(CALL_TIMEOUT_MS, options.remainingMs() - SAFETY_MARGIN_MS)));
  return options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
}

async function listGroups(options: SweepOptions & { remainingMs: () => number }): Promise<PushGroup[]> {
  const target = pushgatewayTarget(options.url);
  const send = options.fetch ?? fetch;
  const response = await send(`${target.base}/api/v1/metrics`, { headers: target.headers, signal: callSignal(options) });
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
    signal: callSignal(options),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new PushgatewayError(`Pushgateway refused to delete a group (${String(response.status)})`, response.status);
}

/** Lists the Pushgateway's groups and deletes this job's stale ones. Throws when it cannot list. */
export async function sweepPushgateway(options: SweepOptions): Promise<SweepResult> {
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
      if (withClock.remainingMs() - SAFETY_MARGIN_MS <= 0 || options.signal?.aborted === true) {
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

/**
 * The sweep per configuration (PUSHGATEWAY_URL, PUSHGATEWAY_GROUP_TTL_MS) within the janitor run's
 * budget (its signal and remainingMs): skipped without a Pushgateway, else a sweep. Throws when the
 * Pushgateway cannot list its groups.
 */
export async function sweepConfiguredPushgateway(run: Pick<JobContext, 'signal' | 'remainingMs'>): Promise<SweepResult> {
  const config = getConfig();
  if (config.PUSHGATEWAY_URL === undefined) return { deleted: [], kept: 0, failed: 0, skipped: 'no_pushgateway' };
  return sweepPushgateway({ url: config.PUSHGATEWAY_URL, ttlMs: config.PUSHGATEWAY_GROUP_TTL_MS, remainingMs: () => run.remainingMs(), signal: run.signal });
}

/** What went wrong in a sweep, for the run's outcome: stale groups left behind; undefined when none. */
export function sweepProblem(result: SweepResult): string | undefined {
  return result.failed > 0 ? `${String(result.failed)} stale Pushgateway groups could not be deleted` : undefined;
}

/** A sweep's details: counts, why it was skipped, and the first few groups deleted (the count says the rest). */
export function sweepDetails(result: SweepResult): Record<string, unknown> {
  return {
    deleted: result.deleted.length,
    kept: result.kept,
    failed: result.failed,
    ...(result.skipped === undefined ? {} : { skipped: result.skipped }),
    deleted_groups: result.deleted.slice(0, 20).map((labels) => groupingPath(labels)),
  };
}
