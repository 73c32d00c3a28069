// The topics API: trending topics over a window, one topic with its statistics and timeline, and
// its evolution events (recorded by the daily evolve-topics job).
import { apiFunction } from '../lib/api/api-function.js';
import { mountTopicsApi } from '../lib/api/topics-api.js';

export const handler = apiFunction('topics', mountTopicsApi);
