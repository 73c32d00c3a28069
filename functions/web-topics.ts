// The web dashboard's topic pages (trending topics, a topic with its timeline and events),
// server-rendered over the same lib/ reads, validation and rate limits as the JSON topics API.
import { apiFunction } from '../lib/api/api-function.js';
import { TOPIC_PAGES } from '../lib/web/pages/topic-pages.js';
import { webSession } from '../lib/web/session/middleware.js';
import { mountWeb } from '../lib/web/web-app.js';

export const handler = apiFunction('web-topics', mountWeb(TOPIC_PAGES), { identify: webSession() });
