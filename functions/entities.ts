// The entities API: people, organisations and repositories across sources, searched by name, and
// one entity with its aliases per source and the signals that name it.
import { apiFunction } from '../lib/api/api-function.js';
import { mountEntitiesApi } from '../lib/api/entities-api.js';

export const handler = apiFunction('entities', mountEntitiesApi);
