// The discovery score counts the other sources in an artifact's near-duplicate group (README
// Scoring). Groups are formed by the graph-build job after the harvest stored the artifact with
// the mentions it knew then, so when a group gains a source, its artifacts are rescored here: the
// same formula (lib/harvest/score), the links of its harvest kept, the group's mentions as now.
import { rewriteScores, staleArtifactsOf, type StoredArtifact } from '../../db/signal-scores-repo.js';
import type { Queryable } from '../../db/types.js';
import { attentionOf, MENTION_ATTENTION, scoreArtifact } from '../../harvest/score/index.js';
import type { Classification } from '../../harvest/types.js';

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

/** Rescores the artifacts of `groups` whose group mentions changed, as of `nowMs`; returns how many. */
export async function rescoreGroups(db: Queryable, groups: readonly string[], nowMs: number): Promise<number> {
  const stale = await staleArtifactsOf(db, groups);
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
