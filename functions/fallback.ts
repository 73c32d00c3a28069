// The `$default` route: API Gateway sends here every request no other route matches, so unknown
// paths get our JSON 404 (and CORS preflights for them an answer) instead of the gateway's own
// `{"message":"Not Found"}`. Rate limited like the API, but it looks up no key: there is no route.
import { httpFunction } from '../lib/http/index.js';
import { defaultLimiter } from '../lib/ratelimit/default-limiter.js';

export const handler = httpFunction('fallback', () => undefined, { limiter: defaultLimiter });
