// One harvest run, as a pipeline: fetch every source (a few at a time, each from its stored
// cursors) → normalise links → dedupe → classify → score → upsert in batches → save the cursors →
// notify Slack of what is new and important. A failing source is recorded and the others go on;
// once the time budget says stop, sources stop paging and the run still stores what it has.
import { loadCursors, saveCursors } from '../db/source-cursors-repo.js';
import { claimForNotification, releaseNotification, unnotifiedAbove, type NotifyThresholds } from '../db/notify-repo.js';
import type { Queryable } from '../db/types.js';
import { errorText } from '../log/error-text.js';
import { discoveriesFetched, harvestSourceLastSuccess, pipelineTimer } from '../metrics/harvest-metrics.js';
import type { JobContext } from '../model/job-context.js';
import type { Classifier, ClassifierStats } from './classify/index.js';
import { canonicalUrl, dedupeItems } from './dedupe.js';
import { ingestItems } from './ingest.js';
import { notifySlack } from './notify/slack.js';
import type { FetchContext, HarvestedItem, QueryOutcome, SourceAdapter, SourceResult } from './types.js';
import type { SourceName } from '../model/sources.js';

export interface HarvestOptions {
  db: Queryable;
  /** The enabled adapters, in HARVEST_SOURCES order (that order wins a link two sources report). */
  sources: readonly SourceAdapter[];
  classifier: Classifier;
  /** MAX_CONCURRENT_SOURCES. */
  concurrency: number;
  /** Slack, when SLACK_WEBHOOK_URL is set. */
  notify?: NotifyOptions;
  /** Clock, ms. Default `Date.now`. */
  now?: () => number;
  /** For the sources (tests). Default: the global fetch. */
  fetch?: typeof fetch;
}

export interface NotifyOptions extends NotifyThresholds {
  webhookUrl: string;
  /** NOTIFY_MAX_PER_RUN. */
  maxPerRun: number;
  /** For the webhook (tests). Default: the global fetch. */
  fetch?: typeof fetch;
}

export interface SourceReport {
  status: 'ok' | 'partial' | 'failed';
  fetched: number;
  requests: number;
  retries: number;
  /** Stopped paging for the time budget; the cursor lets the next run continue. */
  truncated: boolean;
  queries: QueryOutcome[];
  error?: string;
}

export interface HarvestReport {
  sources: Partial<Record<SourceName, SourceReport>>;
  fetched: number;
  /** Dropped within the run: the same source item twice, or a link another source reported first. */
  duplicates: number;
  /** Dropped because another source's stored signal has the link. */
  knownElsewhere: number;
  inserted: number;
  updated: number;
  classification: ClassifierStats;
  notification:
    | { sent: boolean; signals: number; attempts: number; error?: string; outcome: 'sent' | 'not_sent' | 'unknown' }
    | { skipped: 'not_configured' | 'nothing_new' };
}

/** Slack's whole send, every attempt included, never more than this (and never past the budget). */
const NOTIFY_BUDGET_MS = 10_000;

interface Fetched {
  adapter: SourceAdapter;
  result?: SourceResult;
  error?: string;
}

async function fetchSource(run: JobContext, adapter: SourceAdapter, options: HarvestOptions): Promise<Fetched> {
  try {
    const context: FetchContext = { run, cursors: await loadCursors(options.db, adapter.name), fetch: options.fetch, now: options.now };
    const result = await adapter.fetch(context);
    discoveriesFetched.inc({ source: adapter.name }, result.items.length);
    return { adapter, result };
  } catch (error) {
    return { adapter, error: errorText(error) };
  }
}

/** `work` over `items`, at most `limit` at once, results in the items' order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function sourceReport({ result, error }: Fetched): SourceReport {
  if (result === undefined) return { status: 'failed', fetched: 0, requests: 0, retries: 0, truncated: false, queries: [], error };
  const failedQueries = result.queries.filter((query) => query.error !== undefined).length;
  const status = failedQueries === 0 ? 'ok' : failedQueries === result.queries.length ? 'failed' : 'partial';
  return {
    status,
    fetched: result.items.length,
    requests: result.requests,
    retries: result.retries,
    truncated: result.truncated,
    queries: result.queries,
  };
}

/** The same item shape with its link in canonical form (what dedupe and the url index compare). */
function normalise(item: HarvestedItem): HarvestedItem {
  return { ...item, url: canonicalUrl(item.url) };
}

async function notify(run: JobContext, options: HarvestOptions): Promise<HarvestReport['notification']> {
  const settings = options.notify;
  if (settings === undefined) return { skipped: 'not_configured' };
  const at = new Date((options.now ?? Date.now)());
  const found = await unnotifiedAbove(options.db, settings, settings.maxPerRun, at);
  // Intent first: the run's claim (notified_at = its instant) before the message leaves, so neither
  // a send whose answer was lost nor a failed write afterwards can send a signal twice.
  const claimed = new Set(await claimForNotification(options.db, found.map((signal) => signal.id), at));
  const candidates = found.filter((signal) => claimed.has(signal.id));
  if (candidates.length === 0) return { skipped: 'nothing_new' };
  const sent = await notifySlack(candidates, {
    webhookUrl: settings.webhookUrl,
    maxSignals: settings.maxPerRun,
    timeBudgetMs: Math.max(1, Math.min(NOTIFY_BUDGET_MS, run.remainingMs())),
    signal: run.signal,
    fetch: settings.fetch,
  });
  // Slack surely did not take it: the next run may send these. An unknown outcome keeps the claim.
  // Claimed signals the message did not carry (past its size) are released either way.
  const carried = new Set(sent.outcome === 'not_sent' ? [] : sent.signalIds);
  const release = [...claimed].filter((id) => !carried.has(id));
  if (release.length > 0) await releaseNotification(options.db, release, at);
  return { sent: sent.sent, signals: sent.signalIds.length, attempts: sent.attempts, error: sent.error, outcome: sent.outcome };
}

/**
 * One harvest run within `run`'s budget (the discover job's JobContext, passed to every source as
 * is). Rejects only when storing fails (the database); sources and Slack never fail it.
 */
export async function runHarvest(run: JobContext, options: HarvestOptions): Promise<HarvestReport> {
  const timer = pipelineTimer();
  const fetched = await mapLimit(options.sources, options.concurrency, (adapter) => fetchSource(run, adapter, options));
  timer.lap('fetch');

  const items = fetched.flatMap(({ result }) => (result?.items ?? []).map(normalise));
  const { kept, mentions, repeated, sameUrl } = dedupeItems(items);
  const stored = await ingestItems(options.db, kept, { classifier: options.classifier, nowMs: (options.now ?? Date.now)(), mentions });

  // Only once their items are stored: a run that fails before this fetches them again next time.
  for (const { adapter, result } of fetched) {
    if (result !== undefined && result.cursors.size > 0) await saveCursors(options.db, adapter.name, result.cursors);
  }
  timer.lap('store');

  const sources: HarvestReport['sources'] = {};
  const nowSeconds = (options.now ?? Date.now)() / 1000;
  for (const entry of fetched) {
    const report = sourceReport(entry);
    sources[entry.adapter.name] = report;
    if (report.status !== 'failed') harvestSourceLastSuccess.set({ source: entry.adapter.name }, nowSeconds);
  }
  const notification = await notify(run, options);
  timer.lap('notify');
  return {
    sources,
    fetched: items.length,
    duplicates: repeated + sameUrl,
    knownElsewhere: stored.knownElsewhere,
    inserted: stored.inserted,
    updated: stored.updated,
    classification: options.classifier.stats(),
    notification,
  };
}
