// Handlers of the entities API: search, and one entity with its aliases and signals. Reads wait on
// the database no longer than the request's deadline (a 503 then), like the signals API's.
import { abortable } from '../db/abortable.js';
import { getDb } from '../db/client.js';
import { entityAliases, entitySignals, getEntity, searchEntities } from '../db/entities-repo.js';
import type { Queryable } from '../db/types.js';
import { NotFoundError } from '../errors.js';
import { blockKeys, nameTokens, normaliseName } from '../graph/entities/names.js';
import { route, type App } from '../http/index.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { getEntityRoute, listEntitiesRoute } from './entities-routes.js';

const ENTITIES_ORDERING = 'entity:desc';
const SIGNALS_ORDERING = 'entity_signal:desc';

async function readDb(signal: AbortSignal): Promise<Queryable> {
  return abortable(await getDb(), signal);
}

/** The name keys every match must have: the words of `q`, or its compact form when it has none. */
export function searchKeys(q: string): string[] {
  const tokens = nameTokens(normaliseName(q));
  return tokens.length > 0 ? tokens : blockKeys(q);
}

function cursorOf(ordering: string, id: string | undefined): string | null {
  return id === undefined ? null : encodeCursor({ ordering, value: 0, id });
}

export function mountEntitiesApi(app: App): void {
  route(app, listEntitiesRoute, async (c, { query }) => {
    const keys = query.q === undefined ? undefined : searchKeys(query.q);
    if (keys !== undefined && keys.length === 0) return c.json({ items: [], next_cursor: null });
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, ENTITIES_ORDERING);
    const page = await searchEntities(await readDb(c.var.deadline.signal), { keys, kind: query.kind, limit: query.limit, beforeId: after?.id });
    return c.json({
      items: page.items.map((entity) => ({
        id: entity.id,
        kind: entity.kind,
        name: entity.name,
        aliases: entity.aliases,
        signal_count: entity.signalCount,
        created_at: entity.createdAt.toISOString(),
      })),
      next_cursor: cursorOf(ENTITIES_ORDERING, page.nextId),
    });
  });

  route(app, getEntityRoute, async (c, { params, query }) => {
    const db = await readDb(c.var.deadline.signal);
    const entity = await getEntity(db, params.id);
    if (entity === undefined) throw new NotFoundError(`no entity with id ${params.id}`);
    const after = query.signals_cursor === undefined ? undefined : decodeCursor(query.signals_cursor, SIGNALS_ORDERING);
    const merged = entity.mergedInto !== null;
    const [aliases, signals] = merged
      ? [[], { items: [], nextId: undefined }]
      : await Promise.all([entityAliases(db, entity.id), entitySignals(db, entity.id, { limit: query.signals_limit, beforeId: after?.id })]);
    const bySource: Record<string, unknown[]> = {};
    for (const alias of aliases) {
      (bySource[alias.source] ??= []).push({
        id: alias.id,
        source: alias.source,
        handle: alias.handle,
        name: alias.name,
        url: alias.url,
        affiliation: alias.affiliation,
        origin_entity_id: alias.originEntityId,
        created_at: alias.createdAt.toISOString(),
      });
    }
    return c.json({
      id: entity.id,
      kind: entity.kind,
      name: entity.name,
      created_at: entity.createdAt.toISOString(),
      merged_into: entity.mergedInto,
      current_id: entity.currentId,
      aliases: bySource,
      signals: signals.items.map((signal) => ({
        id: signal.id,
        source: signal.source,
        kind: signal.kind,
        title: signal.title,
        url: signal.url,
        published_at: signal.publishedAt.toISOString(),
        roles: signal.roles,
        via: signal.via,
      })),
      next_signals_cursor: cursorOf(SIGNALS_ORDERING, signals.nextId),
    });
  });
}
