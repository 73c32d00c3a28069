// Administration (admin tier): API keys (create — the key is shown once —, list, revoke) and the
// scheduled jobs (start one now, list recent runs).
import { mountAdminApi } from '../lib/api/admin-api.js';
import { mountJobsApi } from '../lib/api/jobs-api.js';
import { defaultKeyStore } from '../lib/auth/default-store.js';
import { createApp, toLambdaHandler } from '../lib/http/app.js';
import { defaultLimiter } from '../lib/ratelimit/default-limiter.js';

const app = createApp({ name: 'admin', keys: defaultKeyStore, limiter: defaultLimiter });
mountAdminApi(app);
mountJobsApi(app);

export const handler = toLambdaHandler(app);
