// Emergent clusters: formed from word pairs shared by at least MIN signals, named by their words,
// each signal in one cluster at most, and the same whatever order the signals arrive in.
import { describe, expect, it } from 'vitest';
import { findClusters, type ClusterCandidate } from '../../../../../lib/harvest/topics/clustering.js';
import { cosine, textVector, tokenize } from '../../../../../lib/harvest/topics/vectors.js';

function candidates(texts: readonly string[], firstId = 1): ClusterCandidate[] {
  return texts.map((text, i) => ({ id: String(firstId + i), tokens: tokenize(text), vector: textVector(text) }));
}

const BORROW = [
  'Rust borrow checker explained for beginners',
  'Borrow checker errors in Rust and how to fix them',
  'Why the Rust borrow checker rejects this code',
  'Rust borrow checker and lifetimes deep dive',
];
const QUANTUM = [
  'Quantum error correction with surface codes',
  'Surface code quantum error correction milestone',
  'Google shows quantum error correction below threshold',
];
const NOISE = ['My sourdough bread recipe', 'Cycling across the Alps in winter', 'A history of the bicycle bell', 'Notes on jazz harmony'];

describe('findClusters', () => {
  it('forms one cluster per shared subject with at least minMembers signals, and leaves the rest out', () => {
    // Act
    const clusters = findClusters(candidates([...BORROW, ...QUANTUM, ...NOISE]), { minMembers: 3 });

    // Assess
    expect(clusters.map((cluster) => ({ path: cluster.path, members: cluster.memberIds }))).toEqual([
      { path: 'emergent/borrow-checker', members: ['1', '2', '3', '4'] },
      { path: 'emergent/correction-error', members: ['5', '6', '7'] },
    ]);
    expect(clusters[0]?.keywords.slice(0, 3)).toEqual(['borrow', 'checker', 'rust']);
    expect(clusters[0]?.name).toBe('borrow, checker, rust');
  });

  it('needs minMembers signals sharing a pair of words', () => {
    expect(findClusters(candidates(QUANTUM), { minMembers: 4 })).toEqual([]);
    expect(findClusters(candidates(NOISE), { minMembers: 2 })).toEqual([]);
  });

  it('gives a unit centroid close to every member', () => {
    const [cluster] = findClusters(candidates(BORROW), { minMembers: 3 });
    for (const member of candidates(BORROW)) expect(cosine(member.vector, cluster?.centroid ?? new Float32Array(256))).toBeGreaterThan(0.5);
  });

  it('never names a cluster after words every announcement uses', () => {
    const generic = ['Show HN: new open source release', 'New release of our open source project', 'Open source release: version 2 is new', 'Show HN: a new open source tool'];
    expect(findClusters(candidates(generic), { minMembers: 3 })).toEqual([]);
  });

  it('is the same whatever order the signals come in', () => {
    const all = candidates([...BORROW, ...QUANTUM, ...NOISE]);
    const reversed = [...all].reverse();
    const rotated = [...all.slice(5), ...all.slice(0, 5)];
    const expected = findClusters(all, { minMembers: 3 });
    expect(findClusters(reversed, { minMembers: 3 })).toEqual(expected);
    expect(findClusters(rotated, { minMembers: 3 })).toEqual(expected);
  });

  it('puts each signal in one cluster at most and keeps paths unique', () => {
    const clusters = findClusters(candidates([...BORROW, ...BORROW, ...QUANTUM, ...QUANTUM]), { minMembers: 3 });
    const members = clusters.flatMap((cluster) => cluster.memberIds);
    expect(new Set(members).size).toBe(members.length);
    expect(new Set(clusters.map((cluster) => cluster.path)).size).toBe(clusters.length);
  });
});
