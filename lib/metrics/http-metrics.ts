// HTTP metrics (names and buckets as in the seeds), recorded by lib/http/middleware/metrics.ts. Labels are
// bounded: a handful of methods, the app's route templates (never raw paths) and status codes.
import { Counter, Gauge, Histogram } from './prom.js';
import { registry } from './registry.js';

export const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests answered, by method, route template and status.',
  labelNames: ['method', 'endpoint', 'status'] as const,
  registers: [registry],
});

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time from the metrics middleware to the finished response, by method, route template and status.',
  labelNames: ['method', 'endpoint', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const httpRequestsInProgress = new Gauge({
  name: 'http_requests_in_progress',
  help: 'HTTP requests being handled by this container, by method and route template.',
  labelNames: ['method', 'endpoint'] as const,
  registers: [registry],
});
