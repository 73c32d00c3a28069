// The topic pages, served by the `web-topics` function (see index.ts for why a function of their own).
import type { WebPage } from '../page.js';
import { topicPageRoute } from './topic.js';
import { topicsPageRoute } from './topics.js';

export const TOPIC_PAGES: readonly WebPage[] = [topicsPageRoute, topicPageRoute];
