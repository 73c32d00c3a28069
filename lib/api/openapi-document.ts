// The OpenAPI document of the whole API, generated from the same route specs that validate
// requests. Built once per container, on first request.
import { getConfig } from '../config.js';
import { buildOpenApi } from '../http/openapi/document.js';
import type { RouteSpec } from '../http/index.js';
import { adminRoutes } from './admin-routes.js';
import { entityMergesRoutes } from './admin-entity-merges-routes.js';
import { entitiesRoutes } from './entities-routes.js';
import { healthRoutes } from './health-routes.js';
import { jobsRoutes } from './jobs-routes.js';
import { signalsRoutes } from './signals-routes.js';
import { topicsRoutes } from './topics-routes.js';
import { watchesRoutes } from './watches-routes.js';
import { feedsRoutes } from './feeds-routes.js';
import { webhooksRoutes } from './webhooks-routes.js';
import { graphRoutes } from './graph-routes.js';
import { watchDeliveryRoutes } from './watch-delivery-routes.js';
import { openApiRoute } from './openapi-route.js';

let document: object | undefined;

export function openApiDocument(): object {
  document ??= buildOpenApi([...signalsRoutes, ...graphRoutes, ...topicsRoutes, ...watchesRoutes, ...webhooksRoutes, ...watchDeliveryRoutes, ...feedsRoutes, ...entitiesRoutes, ...adminRoutes, ...jobsRoutes, ...entityMergesRoutes, ...healthRoutes, openApiRoute] as readonly RouteSpec[], {
    title: 'Signal Harvester API',
    version: getConfig().APP_VERSION,
    description: 'Harvested signals, scored and searchable. Errors share one shape: see components.schemas.Error.',
  });
  return document;
}
