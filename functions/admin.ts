// API-key administration (admin tier): create (the key is shown once), list, revoke.
import { mountAdminApi } from '../lib/api/admin-api.js';
import { defaultKeyStore } from '../lib/auth/default-store.js';
import { createApp, toLambdaHandler } from '../lib/http/app.js';
import { defaultLimiter } from '../lib/ratelimit/default-limiter.js';

const app = createApp({ name: 'admin', keys: defaultKeyStore, limiter: defaultLimiter });
mountAdminApi(app);

export const handler = toLambdaHandler(app);
