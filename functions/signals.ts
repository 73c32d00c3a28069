// The signals API: list/filter/search with keyset pages, one signal, stats, status and tag
// changes, archiving, and discoveries (artifacts by discovery score).
import { mountSignalsApi } from '../lib/api/signals-api.js';
import { defaultKeyStore } from '../lib/auth/default-store.js';
import { createApp, toLambdaHandler } from '../lib/http/app.js';
import { defaultLimiter } from '../lib/ratelimit/default-limiter.js';

const app = createApp({ name: 'signals', keys: defaultKeyStore, limiter: defaultLimiter });
mountSignalsApi(app);

export const handler = toLambdaHandler(app);
