// GET /openapi.json: the API described from its own validation schemas. A function of its own so
// the JSON Schema generator (~30 KB) stays out of every other bundle. Rate limited; no key look-up.
import { mountOpenApi } from '../lib/api/openapi-api.js';
import { httpFunction } from '../lib/http/index.js';
import { defaultLimiter } from '../lib/ratelimit/default-limiter.js';

export const handler = httpFunction('openapi', mountOpenApi, { limiter: defaultLimiter });
