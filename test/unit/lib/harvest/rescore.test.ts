// Which link mentions a stored artifact is rescored with: the ones its harvest kept apart in
// score_details, or, for a row scored before they were kept apart, its attention's mentions less
// its group's.
import { describe, expect, it } from 'vitest';
import type { StoredArtifact } from '../../../../lib/db/signal-scores-repo.js';
import { linkMentionsOf } from '../../../../lib/harvest/rescore.js';
import { scoreArtifact, type ArtifactInput } from '../../../../lib/harvest/score/index.js';

const NOW = Date.parse('2025-01-06T12:00:00Z');
const REPO: ArtifactInput = { source: 'github', kind: 'repository', engagement: { stars: 100 }, publishedAt: new Date('2025-01-06T07:00:00Z'), tags: [] };

function stored(scoreDetails: Record<string, unknown>, mentionCount: number): StoredArtifact {
  return { id: '1', source: 'github', kind: 'repository', engagement: { stars: 100 }, publishedAt: REPO.publishedAt, tags: [], scoreDetails, mentionCount };
}

describe('linkMentionsOf', () => {
  it('reads the link mentions the harvest kept apart', () => {
    const { scoreDetails } = scoreArtifact(REPO, 'keyword', NOW, { linkMentions: 2, groupMentions: 1 });

    expect(linkMentionsOf(stored(scoreDetails, 4))).toBe(2);
  });

  it('derives them for a row scored with links and group together: its attention less its group', () => {
    // Scored with 3 mentions in all (attention 175), of which its group (2 sources) is 1.
    const { scoreDetails } = scoreArtifact(REPO, 'keyword', NOW, { linkMentions: 3 });
    const { linkMentions: _links, groupMentions: _group, ...legacy } = scoreDetails as Record<string, unknown>;

    expect(linkMentionsOf(stored(legacy, 2))).toBe(2);
    expect(linkMentionsOf(stored(legacy, 9))).toBe(0);
    expect(linkMentionsOf(stored({}, 2))).toBe(0);
  });
});
