// The health probes as route specs, for /openapi.json: functions/health.ts serves them (plain Hono
// routes, so the liveness path loads nothing else); these schemas document what they answer.
import * as z from 'zod/mini';
import type { RouteSpec } from '../http/index.js';
import { HEALTH_STATUSES } from '../health/types.js';

const status = z.enum(HEALTH_STATUSES);

const livenessSchema = z.strictObject({
  status: z.literal('healthy'),
  version: z.string(),
  uptime_seconds: z.number(),
  timestamp: z.string(),
});

const reportSchema = z.strictObject({
  status,
  version: z.string(),
  uptime_seconds: z.number(),
  components: z.array(
    z.strictObject({ name: z.string(), status, message: z.string(), last_check: z.string(), check_duration_ms: z.number() }),
  ),
  timestamp: z.string(),
});

export const liveRoute = {
  method: 'get',
  path: '/health/live',
  operationId: 'healthLive',
  summary: 'Liveness: the container runs code; touches no dependency',
  tags: ['health'],
  responses: { 200: { description: 'Alive', schema: livenessSchema } },
} satisfies RouteSpec;

export const readyRoute = {
  method: 'get',
  path: '/health/ready',
  operationId: 'healthReady',
  summary: 'Readiness: database, Redis, secrets, Pushgateway, /tmp and memory, the worst status wins',
  tags: ['health'],
  description: 'Answers 200 when healthy or degraded (serving) and 503 with the same report when unhealthy.',
  responses: { 200: { description: 'The report: each component and the worst status', schema: reportSchema } },
} satisfies RouteSpec;

export const startupRoute = {
  method: 'get',
  path: '/health/startup',
  operationId: 'healthStartup',
  summary: 'Startup: configuration valid, secret loaded, schema at least at the version this code expects',
  tags: ['health'],
  description: 'Answers 200 when initialised and 503 with the same report when not (invalid configuration, secret not loaded, schema behind).',
  responses: { 200: { description: 'The report: each component and the worst status', schema: reportSchema } },
} satisfies RouteSpec;

export const healthRoutes = [liveRoute, readyRoute, startupRoute] as const;
