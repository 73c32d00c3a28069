import { describe, expect, it } from 'vitest';
import { staleGroups, type PushGroup } from '../../../../lib/metrics/pushgateway-sweep.js';

const NOW_MS = 1_800_000_000_000;
const TTL_MS = 30 * 60 * 1000;

function group(job: string, instance: string, ageMs: number): PushGroup {
  return { labels: { job, function: 'signals', instance }, pushTimeSeconds: (NOW_MS - ageMs) / 1000 };
}

describe('staleGroups', () => {
  it("picks this job's groups older than the TTL and counts the fresh ones", () => {
    // Prepare
    const groups = [
      group('signal-harvester', 'old', TTL_MS + 1),
      group('signal-harvester', 'fresh', TTL_MS - 1),
      group('signal-harvester', 'edge', TTL_MS),
      group('someone-else', 'ancient', 10 * TTL_MS),
    ];

    // Act
    const { stale, kept } = staleGroups(groups, 'signal-harvester', TTL_MS, NOW_MS);

    // Assess
    expect(stale.map((g) => g.labels.instance)).toEqual(['old']);
    expect(kept).toBe(2);
  });

  it('treats a group without a successful push as stale', () => {
    // Prepare
    const never: PushGroup = { labels: { job: 'signal-harvester', function: 'signals', instance: 'x' }, pushTimeSeconds: 0 };

    // Act
    const { stale } = staleGroups([never], 'signal-harvester', TTL_MS, NOW_MS);

    // Assess
    expect(stale).toEqual([never]);
  });
});
