// The discover job's work: a harvest run wired from configuration (sources, classifier, Slack),
// on this container's database, within the job's budget. lib/jobs/catalog/discover.ts runs it.
import { getConfig } from '../config.js';
import { getDb } from '../db/client.js';
import type { JobContext } from '../model/job-context.js';
import { createClassifier } from './classify/index.js';
import { runHarvest, type HarvestReport, type NotifyOptions } from './pipeline.js';
import { createSources } from './sources/index.js';

/** Test seams; production passes none. */
export interface DiscoverOverrides {
  /** For sources, the LLM and Slack. Default: the global fetch. */
  fetch?: typeof fetch;
  /** Clock, ms. Default `Date.now`. */
  now?: () => number;
}

export async function discover(run: JobContext, overrides: DiscoverOverrides = {}): Promise<HarvestReport> {
  const config = getConfig();
  const sources = createSources(config, overrides.fetch === undefined ? {} : { fetch: overrides.fetch });
  const notify: NotifyOptions | undefined =
    config.SLACK_WEBHOOK_URL === undefined
      ? undefined
      : {
          webhookUrl: config.SLACK_WEBHOOK_URL,
          maxPerRun: config.NOTIFY_MAX_PER_RUN,
          minSalience: config.NOTIFY_MIN_SALIENCE,
          minDiscoveryScore: config.NOTIFY_MIN_DISCOVERY_SCORE,
          fetch: overrides.fetch,
        };
  const report = await runHarvest(run, {
    db: await getDb(),
    sources,
    classifier: createClassifier(config, { signal: run.signal, fetch: overrides.fetch }),
    concurrency: config.MAX_CONCURRENT_SOURCES,
    notify,
    now: overrides.now,
    fetch: overrides.fetch,
  });
  run.log.info('harvest finished', { fetched: report.fetched, inserted: report.inserted, updated: report.updated });
  return report;
}
