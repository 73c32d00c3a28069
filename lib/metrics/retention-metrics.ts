// Retention metrics (lib/housekeeping/retention.ts): rows the janitor's retention deleted, by
// table. `table` is bounded by the tables retention knows (signals, job_runs, web_sessions); a failed batch
// deletes nothing and shows as a failed janitor run (job_runs_total{status="failed"}).
import { Counter } from './prom.js';
import { registry } from './registry.js';

export const retentionDeleted = new Counter({
  name: 'retention_deleted_total',
  help: 'Rows deleted by the janitor for being past their retention, by table (signals, job_runs, web_sessions).',
  labelNames: ['table'] as const,
  registers: [registry],
});
