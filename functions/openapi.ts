// GET /openapi.json: the API described from its own validation schemas. A function of its own so
// the JSON Schema generator (~30 KB) stays out of every other bundle.
import { openApiDocument } from '../lib/api/openapi-document.js';
import { openApiRoute } from '../lib/api/openapi-route.js';
import { createApp, toLambdaHandler } from '../lib/http/app.js';
import { defaultLimiter } from '../lib/ratelimit/default-limiter.js';
import { route } from '../lib/http/route.js';

const app = createApp({ name: 'openapi', limiter: defaultLimiter });
route(app, openApiRoute, (c) => {
  c.header('Cache-Control', 'public, max-age=300');
  return c.json(openApiDocument());
});

export const handler = toLambdaHandler(app);
