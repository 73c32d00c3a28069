// Every page of the dashboard, in mounting order (an exact path before a `:param` one). Add a page
// here, its routes to the `web` function in serverless.yml, and its link to nav.ts.
import type { WebPage } from '../page.js';
import { assetsPage } from './assets.js';
import { discoveriesPageRoute } from './discoveries.js';
import { signalPageRoute } from './signal.js';
import { signalsPageRoute } from './signals.js';
import { topicPageRoute } from './topic.js';
import { topicsPageRoute } from './topics.js';

export const PAGES: readonly WebPage[] = [assetsPage, signalsPageRoute, signalPageRoute, discoveriesPageRoute, topicsPageRoute, topicPageRoute];
