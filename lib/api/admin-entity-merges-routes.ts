// The entity merge-review queue, admin tier only: list candidates by status, accept or reject a
// pending one, undo an accepted merge (automatic or an admin's).
import * as z from 'zod/mini';
import { MERGE_DECIDERS, MERGE_STATUSES } from '../model/entity.js';
import type { RouteSpec } from '../http/index.js';
import { cursorParam, pageLimit } from './common-schemas.js';
import { entityId } from './entities-routes.js';

export const mergeCandidateSchema = z.strictObject({
  id: z.string(),
  entity: z.strictObject({ id: z.string(), name: z.string() }),
  into_entity: z.strictObject({ id: z.string(), name: z.string() }),
  score: z.number(),
  evidence: z.record(z.string(), z.unknown()),
  status: z.enum(MERGE_STATUSES),
  decided_by: z.nullable(z.enum(MERGE_DECIDERS)),
  created_at: z.string(),
  decided_at: z.nullable(z.string()),
  undone_at: z.nullable(z.string()),
});

const idParams = z.strictObject({ id: entityId });

export const listEntityMergesRoute = {
  method: 'get',
  path: '/v1/admin/entity-merges',
  operationId: 'listEntityMerges',
  summary: 'The entity merge-review queue (pending by default), newest first',
  description:
    'A candidate pairs a newer entity with the existing one it resembles, with the weighted-match score (between the candidate floor ' +
    'and the merge threshold) and the evidence per feature. `status=accepted` lists merges (`decided_by` auto or admin) that can be undone.',
  tags: ['admin'],
  tier: 'admin',
  query: z.strictObject({ status: z._default(z.enum(MERGE_STATUSES), 'pending'), limit: pageLimit, cursor: cursorParam }),
  responses: {
    200: { description: 'A page of candidates and the cursor of the next one', schema: z.strictObject({ items: z.array(mergeCandidateSchema), next_cursor: z.nullable(z.string()) }) },
  },
} satisfies RouteSpec;

export const decideEntityMergeRoute = {
  method: 'post',
  path: '/v1/admin/entity-merges/{id}',
  operationId: 'decideEntityMerge',
  summary: 'Accept (merge the two entities) or reject a pending candidate',
  description: 'Accepting merges the two entities as they are now (either may have been merged since it was queued); 409 when the candidate is not pending or both are already one entity.',
  tags: ['admin'],
  tier: 'admin',
  params: idParams,
  body: z.strictObject({ decision: z.enum(['accept', 'reject']) }),
  responses: {
    200: { description: 'The decided candidate', schema: mergeCandidateSchema },
    404: { description: 'No such candidate' },
    409: { description: 'Not pending, or the two are already one entity' },
  },
} satisfies RouteSpec;

export const undoEntityMergeRoute = {
  method: 'post',
  path: '/v1/admin/entity-merges/{id}/undo',
  operationId: 'undoEntityMerge',
  summary: 'Undo an accepted merge: the merged entity gets its aliases (and so its signals) back',
  description: '409 when the merge is not accepted, or when the entity it merged into was itself merged since (undo that merge first).',
  tags: ['admin'],
  tier: 'admin',
  params: idParams,
  responses: {
    200: { description: 'The undone merge', schema: mergeCandidateSchema },
    404: { description: 'No such merge' },
    409: { description: 'Not an accepted merge, or a later merge must be undone first' },
  },
} satisfies RouteSpec;

export const entityMergesRoutes = [listEntityMergesRoute, decideEntityMergeRoute, undoEntityMergeRoute] as const;
