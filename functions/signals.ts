// The signals API: list/filter/search with keyset pages, one signal, stats, status and tag
// changes, archiving, and discoveries (artifacts by discovery score).
import { apiFunction } from '../lib/api/api-function.js';
import { mountSignalsApi } from '../lib/api/signals-api.js';

export const handler = apiFunction('signals', mountSignalsApi);
