// The discovery score counts the other sources in an artifact's near-duplicate group (README
// Scoring). Groups are formed by the graph-build job after the harvest stored the artifact, so an
// artifact's stored score can count another group than it has: when the job grows a group, and
// when a re-harvest (scored without reading the group: one look-up per batch saved) refreshes an
// artifact that is in one. Either rescores it here: the same formula, the links of its harvest
// kept, the group's mentions as now.
import { rewriteScores, staleArtifacts, type StaleScope, type StoredArtifact } from '../db/signal-scores-repo.js';
import type { Queryable } from '../db/types.js';
import { attentionOf, MENTION_ATTENTION, scoreArtifact } from './score/index.js';
import type { Classification } from './types.js';

function numberField(details: Record<string, unknown>, key: string): number | undefined {
  const value = details[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * The run's link mentions an artifact was scored with. A row scored before score_details kept them
 * apart counted links and group together in its attention: its links are that total less its
 * group's mentions now (exact again from its next harvest).
 */
export function linkMentionsOf(artifact: StoredArtifact): number {
  const stored = numberField(artifact.scoreDetails, 'linkMentions');
  if (stored !== undefined) return stored;
  const components = artifact.scoreDetails.components;
  const attention = typeof components === 'object' && components !== null ? numberField(components as Record<string, unknown>, 'attention') : undefined;
  if (attention === undefined) return 0;
  const total = Math.round((attention - attentionOf({ ...artifact, mentions: 0 })) / MENTION_ATTENTION);
  return Math.max(0, total - (artifact.mentionCount - 1));
}

function classifiedBy(details: Record<string, unknown>): Classification['by'] {
  return details.by === 'llm' ? 'llm' : 'keyword';
}

/**
 * Rescores the artifacts in `scope` (signal ids, or every member of duplicate groups) whose stored
 * score counts another number of group mentions than their group has, as of `nowMs`; returns how many.
 */
export async function rescoreStale(db: Queryable, scope: StaleScope, nowMs: number): Promise<number> {
  const stale = await staleArtifacts(db, scope);
  return rewriteScores(
    db,
    stale.map((artifact) => {
      const fields = scoreArtifact(artifact, classifiedBy(artifact.scoreDetails), nowMs, {
        linkMentions: linkMentionsOf(artifact),
        groupMentions: artifact.mentionCount - 1,
      });
      return { id: artifact.id, discoveryScore: fields.discoveryScore, scoreDetails: fields.scoreDetails, rank: fields.rank, discoveryRank: fields.discoveryRank };
    }),
  );
}
