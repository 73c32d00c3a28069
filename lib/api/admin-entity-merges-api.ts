// Handlers of the entity merge-review queue (admin tier). The repository reports outcomes as
// values; here they become 404 and 409.
import { getDb } from '../db/client.js';
import { decideMergeCandidate, listMergeCandidates, undoMerge, type CandidateRow } from '../db/entities-repo.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { route, type App } from '../http/index.js';
import { decideEntityMergeRoute, listEntityMergesRoute, undoEntityMergeRoute } from './admin-entity-merges-routes.js';
import { decodeCursor, encodeCursor } from './cursor.js';

function candidateJson(row: CandidateRow) {
  return {
    id: row.id,
    entity: { id: row.entityId, name: row.entityName },
    into_entity: { id: row.intoEntityId, name: row.intoEntityName },
    score: row.score,
    evidence: row.evidence,
    status: row.status,
    decided_by: row.decidedBy,
    created_at: row.createdAt.toISOString(),
    decided_at: row.decidedAt?.toISOString() ?? null,
    undone_at: row.undoneAt?.toISOString() ?? null,
  };
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`no entity merge candidate with id ${id}`);
}

export function mountEntityMergesApi(app: App): void {
  route(app, listEntityMergesRoute, async (c, { query }) => {
    const ordering = `entity_merge:${query.status}`;
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, ordering);
    const page = await listMergeCandidates(await getDb(), { status: query.status, limit: query.limit, beforeId: after?.id });
    return c.json({
      items: page.items.map(candidateJson),
      next_cursor: page.nextId === undefined ? null : encodeCursor({ ordering, value: 0, id: page.nextId }),
    });
  });

  route(app, decideEntityMergeRoute, async (c, { params, body }) => {
    const decision = body?.decision ?? 'reject';
    const result = await decideMergeCandidate(await getDb(), params.id, decision);
    switch (result.outcome) {
      case 'not_found':
        throw notFound(params.id);
      case 'not_pending':
        throw new ConflictError(`entity merge candidate ${params.id} is ${result.status}, not pending`);
      case 'same_entity':
        throw new ConflictError(`both entities of candidate ${params.id} are already entity ${result.entityId}`);
      case 'ok':
        c.get('log').info('entity merge decided', { candidate_id: params.id, decision, entity_id: result.candidate.entityId, into_entity_id: result.candidate.intoEntityId });
        return c.json(candidateJson(result.candidate));
    }
  });

  route(app, undoEntityMergeRoute, async (c, { params }) => {
    const result = await undoMerge(await getDb(), params.id);
    switch (result.outcome) {
      case 'not_found':
        throw notFound(params.id);
      case 'not_accepted':
        throw new ConflictError(`entity merge ${params.id} is ${result.status}, not an accepted merge`);
      case 'merged_since':
        throw new ConflictError(`the entity merge ${params.id} joined was merged into entity ${result.entityId} since: undo that merge first`);
      case 'ok':
        c.get('log').info('entity merge undone', { candidate_id: params.id });
        return c.json(candidateJson(result.candidate));
    }
  });
}
