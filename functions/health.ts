// Health probes (lib/api/health-api.ts): no key store and no rate limit, so a probe never depends
// on the database or Redis unless it asks about them.
import { mountHealthApi } from '../lib/api/health-api.js';
import { httpFunction } from '../lib/http/index.js';

// No secrets gate: a probe reports the secret as a component (startup, ready), or needs none (live).
export const handler = httpFunction('health', mountHealthApi, { secretsGate: false });
