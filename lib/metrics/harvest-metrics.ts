// Discovery-pipeline metrics (the seed's `discoveries_fetched_total`): items fetched per source by
// the hourly discover job. `source` is bounded by the adapters we ship.
import { Counter, Gauge } from './prom.js';
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
