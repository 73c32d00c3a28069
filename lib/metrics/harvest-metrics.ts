// Discovery-pipeline metrics (the seed's `discoveries_fetched_total`): items fetched per source by
// the hourly discover job. `source` is bounded by the adapters we ship.
import { Counter } from './prom.js';
import { registry } from './registry.js';

export const discoveriesFetched = new Counter({
  name: 'discoveries_fetched_total',
  help: 'Items fetched from public sources by the discover job, by source.',
  labelNames: ['source'] as const,
  registers: [registry],
});
