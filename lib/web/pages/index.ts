// The dashboard's pages, grouped by the function that serves them, in mounting order (an exact
// path before a `:param` one). Like the JSON API (signals, topics, admin), the pages are split by
// room across functions so each bundle stays within the 400 KB budget and holds only the IAM it
// needs: `web` serves the signals pages and the static assets, `web-topics` the topic pages. To add
// a page: add it to its function's list here, its routes to that function in serverless.yml, and
// its link to nav.ts. A room of its own (admin pages) gets its own list and functions/*.ts.
import type { WebPage } from '../page.js';
import { assetsPage } from './assets.js';
import { discoveriesPageRoute } from './discoveries.js';
import { signalPageRoute } from './signal.js';
import { signalsPageRoute } from './signals.js';

export const SIGNAL_PAGES: readonly WebPage[] = [assetsPage, signalsPageRoute, signalPageRoute, discoveriesPageRoute];
