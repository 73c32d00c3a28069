// The web dashboard's admin pages (jobs with a run-now button, API keys), for a signed-in admin;
// served apart from functions/web.ts so only this function may start jobs.
import { apiFunction } from '../lib/api/api-function.js';
import { mountWebAdmin } from '../lib/web/admin-app.js';
import { webSession } from '../lib/web/session/middleware.js';

export const handler = apiFunction('web-admin', mountWebAdmin, { identify: webSession() });
