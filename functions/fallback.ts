// The `$default` route: API Gateway sends here every request no other route matches, so unknown
// paths get our JSON 404 (and CORS preflights for them an answer) instead of the gateway's own
// `{"message":"Not Found"}`.
import { createApp, toLambdaHandler } from '../lib/http/app.js';
import { defaultLimiter } from '../lib/ratelimit/default-limiter.js';

const app = createApp({ name: 'fallback', limiter: defaultLimiter });

export const handler = toLambdaHandler(app);
