// Administration (admin tier): API keys (create — the key is shown once —, list, revoke), the
// scheduled jobs (start one now, list recent runs) and the entity merge-review queue.
import { mountAdminApi } from '../lib/api/admin-api.js';
import { mountEntityMergesApi } from '../lib/api/admin-entity-merges-api.js';
import { apiFunction } from '../lib/api/api-function.js';
import { mountJobsApi } from '../lib/api/jobs-api.js';

export const handler = apiFunction('admin', (app) => {
  mountAdminApi(app);
  mountJobsApi(app);
  mountEntityMergesApi(app);
});
