// GET /metrics (admin tier): this container's Prometheus registry (lib/api/metrics-api.ts).
import { apiFunction } from '../lib/api/api-function.js';
import { mountMetricsApi } from '../lib/api/metrics-api.js';

export const handler = apiFunction('metrics', mountMetricsApi);
