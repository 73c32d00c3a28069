// Secrets metrics: a failed refresh keeps the last good value, so this counter is how anyone learns.
import { Counter } from './prom.js';
import { registry } from './registry.js';

export const secretsRefreshFailures = new Counter({
  name: 'secrets_refresh_failures_total',
  help: 'Secrets Manager loads that failed (unreachable, missing, not a JSON object of strings, invalid configuration).',
  registers: [registry],
});
