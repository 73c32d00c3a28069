// Evolution on synthetic corpora whose structure is known: a new cluster emerges, a topic that
// doubles grows and one that halves declines, two topics whose recent signals converged merge, a
// topic mixing two subjects splits — and a broad but single topic does not.
import { describe, expect, it } from 'vitest';
import { detectEvolution, growthOf, twoMeans, type TopicMember, type TopicSnapshot } from '../../../../../lib/harvest/topics/evolution.js';
import { textVector, tokenize } from '../../../../../lib/harvest/topics/vectors.js';

const DAY = 86_400_000;
const END = new Date('2026-01-31T00:00:00Z');
const OPTIONS = {
  windowStart: new Date(END.getTime() - 30 * DAY),
  windowEnd: END,
  minMembers: 3,
  mergeSimilarity: 0.85,
  splitSimilarity: 0.7,
};

let nextId = 1;

/** Members with these texts, published `daysAgo` days before the window's end (the recent half is < 15). */
function members(texts: readonly string[], daysAgo: number): TopicMember[] {
  return texts.map((text) => ({
    signalId: String(nextId++),
    publishedAt: new Date(END.getTime() - daysAgo * DAY),
    vector: textVector(text),
    tokens: tokenize(text),
  }));
}

function topic(id: string, path: string, list: TopicMember[], extra: Partial<TopicSnapshot> = {}): TopicSnapshot {
  return { id, path, kind: 'emergent', isNew: false, members: list, ...extra };
}

function repeat(text: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${text} ${['today', 'again', 'update', 'notes', 'thread', 'recap', 'story', 'digest'][i % 8] ?? ''}`);
}

const RUST = 'Rust async runtime tokio executor scheduling';
const GO = 'Go goroutine scheduler preemption internals';
const QUANTUM = 'Quantum error correction with surface codes';
const BROAD = [
  'OpenAI releases GPT-5 with better reasoning',
  'Llama 4 weights leaked on torrent',
  'How I fine-tuned Mistral on my notes',
  'Claude writes better code than me',
  'Qwen 3 tops the leaderboard',
  'Prompt engineering tips for LLM apps',
  'DeepSeek cost of training revealed',
  'Gemini in Google Docs now',
  'Running an LLM locally on a Raspberry Pi',
  'Hallucination in legal briefs',
];

describe('detectEvolution', () => {
  it('reports a new topic with at least MIN members as emerge, once, and not also as growth', () => {
    // Arrange
    const fresh = topic('7', 'emergent/quantum', members(repeat(QUANTUM, 4), 2), { isNew: true });
    const tooSmall = topic('8', 'emergent/tiny', members(repeat(GO, 2), 2), { isNew: true });
    const known = topic('9', 'emergent/known', members(repeat(RUST, 4), 20));

    // Act
    const { events } = detectEvolution([fresh, tooSmall, known], OPTIONS);

    // Assess
    expect(events.filter((event) => event.kind === 'emerge')).toEqual([{ topicId: '7', kind: 'emerge', details: { path: 'emergent/quantum', members: 4 } }]);
    expect(events.filter((event) => event.topicId === '7').map((event) => event.kind)).toEqual(['emerge']);
  });

  it('reports growth when the recent half has at least 1.5 times the earlier half and MIN more', () => {
    // Arrange: 3 in the earlier half, 9 in the recent one
    const growing = topic('1', 'ai/llm', [...members(repeat(RUST, 3), 25), ...members(repeat(RUST, 9), 3)], { kind: 'taxonomy' });

    // Act
    const { events } = detectEvolution([growing], OPTIONS);

    // Assess
    expect(events).toEqual([
      {
        topicId: '1',
        kind: 'growth',
        details: { earlier: 3, recent: 9, rate: 2, window: { start: OPTIONS.windowStart.toISOString(), end: END.toISOString() } },
      },
    ]);
  });

  it('reports decline when the recent half has at most half the earlier one and MIN fewer', () => {
    const declining = topic('2', 'infra/cloud', [...members(repeat(GO, 8), 20), ...members(repeat(GO, 2), 5)], { kind: 'taxonomy' });
    const { events } = detectEvolution([declining], OPTIONS);
    expect(events.map((event) => [event.kind, event.details.rate])).toEqual([['decline', -0.75]]);
  });

  it('reports neither for a steady topic, nor for changes smaller than MIN', () => {
    const steady = topic('3', 'a', [...members(repeat(GO, 5), 20), ...members(repeat(GO, 6), 5)]);
    const small = topic('4', 'b', [...members(repeat(RUST, 1), 20), ...members(repeat(RUST, 3), 5)]);
    expect(detectEvolution([steady, small], OPTIONS).events).toEqual([]);
  });

  it('merges two topics whose recent signals converged: one event, on the smaller, naming both', () => {
    // Arrange: both started apart (Rust vs Go) and now both talk about the same thing.
    const rust = topic('10', 'emergent/rust-tokio', [...members(repeat(RUST, 6), 25), ...members(repeat(RUST, 5), 5)]);
    const go = topic('11', 'emergent/go-scheduler', [...members(repeat(GO, 3), 25), ...members(repeat(RUST, 4), 5)]);

    // Act
    const { events, merges } = detectEvolution([rust, go], OPTIONS);

    // Assess
    expect(merges).toEqual([{ absorbedId: '11', intoId: '10', similarity: expect.any(Number) as number }]);
    expect(merges[0]?.similarity).toBeGreaterThanOrEqual(0.85);
    const merge = events.filter((event) => event.kind === 'merge');
    expect(merge).toEqual([
      {
        topicId: '11',
        kind: 'merge',
        details: {
          from: { id: '11', path: 'emergent/go-scheduler' },
          into: { id: '10', path: 'emergent/rust-tokio' },
          similarity: merges[0]?.similarity,
          members: 7,
        },
      },
    ]);
    // The absorbed topic reports nothing else; the survivor is judged with both sets of members.
    expect(events.filter((event) => event.topicId === '11')).toHaveLength(1);
  });

  it('does not merge topics that stay apart, nor two taxonomy topics, and absorbs an emergent topic into a taxonomy one', () => {
    const apart = detectEvolution(
      [topic('20', 'emergent/rust', members(repeat(RUST, 4), 5)), topic('21', 'emergent/go', members(repeat(GO, 4), 5))],
      OPTIONS,
    );
    expect(apart.merges).toEqual([]);

    const taxonomyPair = detectEvolution(
      [topic('22', 'dev/languages', members(repeat(RUST, 4), 5), { kind: 'taxonomy' }), topic('23', 'dev/tools', members(repeat(RUST, 4), 5), { kind: 'taxonomy' })],
      OPTIONS,
    );
    expect(taxonomyPair.merges).toEqual([]);

    const mixed = detectEvolution(
      [topic('24', 'dev/languages', members(repeat(RUST, 3), 5), { kind: 'taxonomy' }), topic('25', 'emergent/tokio', members(repeat(RUST, 6), 5))],
      OPTIONS,
    );
    expect(mixed.merges.map(({ absorbedId, intoId }) => ({ absorbedId, intoId }))).toEqual([{ absorbedId: '25', intoId: '24' }]);
  });

  it('merges until no pair is alike, so three converged topics become one', () => {
    const topics = ['30', '31', '32'].map((id, i) => topic(id, `emergent/t${id}`, members(repeat(RUST, 4 + i), 5)));
    const { merges } = detectEvolution(topics, OPTIONS);
    expect(merges).toHaveLength(2);
    expect(new Set(merges.map((merge) => merge.intoId))).toEqual(new Set(['32']));
  });

  it('splits a topic mixing two subjects into its two groups', () => {
    // Arrange
    const rust = members(repeat(RUST, 4), 5);
    const quantum = members(repeat(QUANTUM, 5), 6);
    const mixed = topic('40', 'emergent/mixed', [...rust, ...quantum]);

    // Act
    const split = detectEvolution([mixed], OPTIONS).events.find((event) => event.kind === 'split');

    // Assess
    expect(split?.topicId).toBe('40');
    const groups = split?.details.groups as Array<{ size: number; keywords: string[]; sample: string[] }>;
    expect(groups.map((group) => group.size)).toEqual([5, 4]);
    expect(groups[0]?.keywords).toEqual(expect.arrayContaining(['quantum', 'error']));
    expect(groups[1]?.sample).toEqual(rust.map((member) => member.signalId));
    expect(split?.details.similarity).toBeLessThan(0.7);
  });

  it('does not split a coherent topic, a broad one with no subgroups, or groups smaller than MIN', () => {
    const coherent = topic('41', 'emergent/rust', members(repeat(RUST, 10), 5));
    const broad = topic('42', 'ai/llm', members(BROAD, 5), { kind: 'taxonomy' });
    const lopsided = topic('43', 'emergent/lopsided', [...members(repeat(RUST, 8), 5), ...members(repeat(QUANTUM, 2), 5)]);
    const events = detectEvolution([coherent, broad, lopsided], OPTIONS).events;
    expect(events.filter((event) => event.kind === 'split')).toEqual([]);
  });

  it('ignores members outside the window and gives the same events whatever the input order', () => {
    const outside = topic('50', 'emergent/old', members(repeat(RUST, 6), 40), { isNew: true });
    expect(detectEvolution([outside], OPTIONS).events).toEqual([]);

    const topics = [
      topic('60', 'emergent/a', [...members(repeat(RUST, 6), 25), ...members(repeat(RUST, 5), 5)]),
      topic('61', 'emergent/b', [...members(repeat(GO, 3), 25), ...members(repeat(RUST, 4), 5)]),
      topic('62', 'emergent/c', [...members(repeat(RUST, 4), 5), ...members(repeat(QUANTUM, 5), 6)], { isNew: true }),
    ];
    const shuffled = [topics[2], topics[0], topics[1]].map((t) => ({ ...t, members: [...(t?.members ?? [])].reverse() })) as TopicSnapshot[];
    expect(detectEvolution(shuffled, OPTIONS)).toEqual(detectEvolution(topics, OPTIONS));
  });
});

describe('growthOf', () => {
  it('counts the earlier and recent halves and rates the change against at least one', () => {
    expect(growthOf(members(repeat(GO, 4), 3), OPTIONS)).toEqual({ earlier: 0, recent: 4, rate: 4 });
    expect(growthOf([...members(repeat(GO, 4), 20), ...members(repeat(GO, 2), 3)], OPTIONS)).toEqual({ earlier: 4, recent: 2, rate: -0.5 });
  });
});

describe('twoMeans', () => {
  it('separates two subjects, starting from the same members every time', () => {
    const list = [...members(repeat(RUST, 3), 5), ...members(repeat(QUANTUM, 3), 5)];
    const first = twoMeans(list);
    expect(first?.groups.map((group) => group.length).sort()).toEqual([3, 3]);
    expect(twoMeans(list)).toEqual(first);
    expect(twoMeans(list.slice(0, 1))).toBeUndefined();
  });
});
