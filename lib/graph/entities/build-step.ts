// The graph-build job's entity step (lib/graph/build.ts): for a batch of stored signals, resolve the
// people, organisations and repositories they name. It runs after the batch's identifiers and
// edges, before the cursor moves, so a failure fails the run and the next run retries the same
// batch (nothing is skipped); batches go one after another, so each sees the entities the
// previous one made. Mentions already recorded for a signal are skipped: a rerun adds nothing.
import { recordedMentions } from '../../db/entity-resolution-repo.js';
import type { Queryable } from '../../db/types.js';
import type { EntityMention } from '../../model/entity.js';
import type { SourceName } from '../../model/sources.js';
import { resolveEntities, type ResolutionCounts, type ResolvableSignal } from './resolve.js';

/** What the step reads of a stored signal. */
export interface EntitySignal {
  id: string;
  source: SourceName;
  url: string;
  author: string | null;
  /** The mentions the harvest stored (signals.entity_mentions); null: derived from author and url. */
  entities: readonly EntityMention[] | null;
}

/** Resolves the entities `signals` name (already stored), adding only mentions not recorded yet. */
export async function resolveSignalEntities(db: Queryable, signals: readonly EntitySignal[]): Promise<ResolutionCounts> {
  const recorded = await recordedMentions(db, signals.map((signal) => signal.id));
  const resolvable: ResolvableSignal[] = signals.map(({ id, source, url, author, entities }) => ({
    id,
    recorded: recorded.get(id) ?? new Set<string>(),
    source,
    url,
    author,
    ...(entities === null ? {} : { entities }),
  }));
  return resolveEntities(db, resolvable);
}
