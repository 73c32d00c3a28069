// The web dashboard: server-rendered pages (signals, a signal, discoveries, topics, a topic) over
// the same lib/ reads, validation and rate limits as the JSON API, and their hashed static assets.
import { apiFunction } from '../lib/api/api-function.js';
import { mountWeb } from '../lib/web/web-app.js';

export const handler = apiFunction('web', mountWeb);
