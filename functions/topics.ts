// The topics API: trending topics over a window, one topic with its statistics and timeline, and
// its evolution events (recorded by the daily evolve-topics job).
import { mountTopicsApi } from '../lib/api/topics-api.js';
import { defaultKeyStore } from '../lib/auth/default-store.js';
import { createApp, toLambdaHandler } from '../lib/http/app.js';
import { defaultLimiter } from '../lib/ratelimit/default-limiter.js';

const app = createApp({ name: 'topics', keys: defaultKeyStore, limiter: defaultLimiter });
mountTopicsApi(app);

export const handler = toLambdaHandler(app);
