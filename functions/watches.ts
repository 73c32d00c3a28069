// The watches API: saved queries owned by the calling key (create, list, get, update, delete) and
// feed-token rotation.
import { apiFunction } from '../lib/api/api-function.js';
import { mountWatchesApi } from '../lib/api/watches-api.js';

export const handler = apiFunction('watches', mountWatchesApi);
