// Discovery-pipeline metrics (the seed's `discoveries_fetched_total`): items fetched per source by
// the hourly discover job. `source` is bounded by the adapters we ship.
import { Counter, Gauge, Histogram } from './prom.js';
import { registry } from './registry.js';

export const discoveriesFetched = new Counter({
  name: 'discoveries_fetched_total',
  help: 'Items fetched from public sources by the discover job, by source.',
  labelNames: ['source'] as const,
  registers: [registry],
});

/**
 * Unix time of the last discover run in which a source answered (status ok or partial), by source:
 * the HarvestSourceFailing alert reads it, as JobNotSucceeding reads the job's last success.
 */
export const harvestSourceLastSuccess = new Gauge({
  name: 'harvest_source_last_success_timestamp_seconds',
  help: 'Unix time of the last discover run in which the source answered (ok or partial), by source.',
  labelNames: ['source'] as const,
  registers: [registry],
});

/** The seed's discovery score_histogram: each artifact's discovery score (0–100) as stored, by source. */
export const discoveryScore = new Histogram({
  name: 'discovery_score',
  help: 'Discovery scores (0-100) given to harvested artifacts, by source.',
  labelNames: ['source'] as const,
  buckets: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
  registers: [registry],
});

/** The pipeline's stages as timed: fetch every source; classify, score and store; notify Slack. */
export type PipelineStage = 'fetch' | 'store' | 'notify';

export const discoveryPipelineDuration = new Histogram({
  name: 'discovery_pipeline_duration_seconds',
  help: 'Duration of each stage of a harvest run (fetch, store, notify).',
  labelNames: ['stage'] as const,
  buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  registers: [registry],
});

/** Starts a clock; each `lap(stage)` records the time since the previous lap (or the start). */
export function pipelineTimer(): { lap(stage: PipelineStage): void } {
  let last = performance.now();
  return {
    lap(stage) {
      const now = performance.now();
      discoveryPipelineDuration.observe({ stage }, (now - last) / 1000);
      last = now;
    },
  };
}
