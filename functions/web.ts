// The web dashboard's signals pages (signals, a signal, discoveries) and its hashed static assets, server-rendered over the same lib/ reads, validation and rate limits as the JSON
// API. A signed-in browser is identified by its session cookie.
import { apiFunction } from '../lib/api/api-function.js';
import { SIGNAL_PAGES } from '../lib/web/pages/index.js';
import { webSession } from '../lib/web/session/middleware.js';
import { mountWeb } from '../lib/web/web-app.js';

export const handler = apiFunction('web', mountWeb(SIGNAL_PAGES), { identify: webSession() });
