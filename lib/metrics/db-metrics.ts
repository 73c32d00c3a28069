// Database metrics (names and buckets as in the seeds), recorded by lib/db/instrumented.ts. Labels
// are bounded: five operations, our own table names plus `other`, and `ok`/`error`.
import { Counter, Gauge, Histogram } from './prom.js';
import { registry } from './registry.js';

export const dbQueryDuration = new Histogram({
  name: 'db_query_duration_seconds',
  help: 'Database statement duration, by operation and table.',
  labelNames: ['operation', 'table'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  registers: [registry],
});

export const dbQueries = new Counter({
  name: 'db_queries_total',
  help: 'Database statements run, by operation, table and status (ok, error).',
  labelNames: ['operation', 'table', 'status'] as const,
  registers: [registry],
});

/** Open-connection counts of this container's live pools (a test process may hold several). */
const pools = new Set<() => number>();

export const dbConnectionsActive = new Gauge({
  name: 'db_connections_active',
  help: "Connections this container's Postgres pool holds open (in use or idle): what counts against the pooler's client limit.",
  registers: [registry],
  collect() {
    let open = 0;
    for (const count of pools) open += count();
    this.set(open);
  },
});

/** Counts `openConnections()` into db_connections_active until the returned function is called (the pool closed). */
export function watchPool(openConnections: () => number): () => void {
  const entry = (): number => openConnections();
  pools.add(entry);
  return () => {
    pools.delete(entry);
  };
}
