// The knowledge graph API: a signal's relationships, its neighbourhood to a depth, and counts by
// type (the edges the harvest stores, lib/graph/).
import { apiFunction } from '../lib/api/api-function.js';
import { mountGraphApi } from '../lib/api/graph-api.js';

export const handler = apiFunction('graph', mountGraphApi);
