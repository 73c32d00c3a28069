// GET /openapi.json: the API described from its own validation schemas, cacheable for 5 minutes.
import { route, type App } from '../http/index.js';
import { openApiDocument } from './openapi-document.js';
import { openApiRoute } from './openapi-route.js';

export function mountOpenApi(app: App): void {
  route(app, openApiRoute, (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(openApiDocument());
  });
}
