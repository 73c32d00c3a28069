// A watch's feed (Atom, RSS, JSON Feed), addressed by its feed token; no API key.
import { apiFunction } from '../lib/api/api-function.js';
import { mountFeedsApi } from '../lib/api/feeds-api.js';

export const handler = apiFunction('feeds', mountFeedsApi);
