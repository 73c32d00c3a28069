// Health probes (lib/api/health-api.ts): no key store and no rate limit, so a probe never depends
// on the database or Redis unless it asks about them.
import { mountHealthApi } from '../lib/api/health-api.js';
import { httpFunction } from '../lib/http/index.js';

export const handler = httpFunction('health', mountHealthApi);
