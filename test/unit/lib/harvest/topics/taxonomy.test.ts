// The configured taxonomy is well-formed, and assignment puts a signal in the topics it is about:
// taxonomy topics by one keyword phrase, emergent ones by two keywords or a close centroid.
import { describe, expect, it } from 'vitest';
import {
  assignTopics,
  compileTopic,
  EMERGENT_ASSIGN_SIMILARITY,
  MAX_TOPICS_PER_SIGNAL,
  signalFeatures,
  TAXONOMY,
  type CompiledTopic,
  type SignalFeatures,
} from '../../../../../lib/harvest/topics/taxonomy.js';
import { textVector, tokenize } from '../../../../../lib/harvest/topics/vectors.js';

/** The CHECK constraint on topics.path. */
const PATH = /^[a-z0-9_-]+(\/[a-z0-9_-]+)*$/;

const taxonomy: CompiledTopic[] = TAXONOMY.map((topic, i) => compileTopic({ id: String(i + 1), kind: 'taxonomy', ...topic }));

function features(text: string): SignalFeatures {
  return signalFeatures(tokenize(text), textVector(text));
}

function pathsFor(text: string, emergent: CompiledTopic[] = []): string[] {
  return assignTopics(features(text), taxonomy, emergent).map((assignment) => assignment.path);
}

describe('TAXONOMY', () => {
  it('has 15 to 25 topics with unique valid paths and keywords that all survive tokenising', () => {
    expect(TAXONOMY.length).toBeGreaterThanOrEqual(15);
    expect(TAXONOMY.length).toBeLessThanOrEqual(25);
    expect(new Set(TAXONOMY.map((topic) => topic.path)).size).toBe(TAXONOMY.length);
    for (const topic of TAXONOMY) {
      expect(topic.path).toMatch(PATH);
      expect(topic.name.length).toBeGreaterThan(0);
      for (const keyword of topic.keywords) expect(tokenize(keyword).length, `${topic.path}: ${keyword}`).toBeGreaterThan(0);
    }
  });

  it('includes the paths the topics API documents as examples', () => {
    const paths = TAXONOMY.map((topic) => topic.path);
    for (const path of ['ai/ml/rl', 'ai/llm', 'ai/llm/agents', 'security/vulnerabilities', 'infra/cloud']) expect(paths).toContain(path);
  });
});

describe('assignTopics', () => {
  it('puts a signal in every taxonomy topic one of whose phrases it mentions', () => {
    expect(pathsFor('Show HN: an agentic coding agent built on Claude with tool calling')).toEqual(expect.arrayContaining(['ai/llm/agents', 'ai/llm']));
    expect(pathsFor('CVE-2026-1234: remote code execution in OpenSSH')).toEqual(['security/vulnerabilities']);
    expect(pathsFor('PPO versus GRPO for reinforcement learning from human feedback')[0]).toBe('ai/ml/rl');
  });

  it('matches phrases on stems and across punctuation, but not their words apart', () => {
    expect(pathsFor('Zero-day exploits found in routers')).toContain('security/vulnerabilities');
    expect(pathsFor('Vector databases compared')).toContain('ai/llm/rag');
    // "vector" and "search" far apart are not the phrase "vector search".
    expect(pathsFor('A vector of attack; search engines')).not.toContain('ai/llm/rag');
  });

  it('leaves a signal about none of the topics unassigned', () => {
    expect(pathsFor('My sourdough bread recipe after ten years of baking')).toEqual([]);
  });

  it('weighs more matching phrases more: 0.5, 0.75, then 1', () => {
    const weightOf = (text: string): number | undefined =>
      assignTopics(features(text), taxonomy, []).find((assignment) => assignment.path === 'security/vulnerabilities')?.weight;
    expect(weightOf('a new cve')).toBe(0.5);
    expect(weightOf('a new cve with an exploit')).toBe(0.75);
    expect(weightOf('a new cve with an exploit for privilege escalation')).toBe(1);
  });

  it('puts a signal in an emergent topic by two of its keywords, not by one', () => {
    const mamba = compileTopic({ id: '100', path: 'emergent/mamba-ssm', kind: 'emergent', keywords: ['mamba', 'ssm', 'selective'] });
    expect(pathsFor('Mamba is an SSM with selective state', [mamba])).toContain('emergent/mamba-ssm');
    expect(pathsFor('Mamba snakes in the wild', [mamba])).not.toContain('emergent/mamba-ssm');
  });

  it('puts a signal in an emergent topic whose centroid it is close to, weighted by the similarity', () => {
    const text = 'Sourdough starters ferment flour and water for bread';
    const topic = compileTopic({ id: '101', path: 'emergent/sourdough', kind: 'emergent', keywords: ['levain'], centroid: textVector(text) });
    const [assignment] = assignTopics(features(text), taxonomy, [topic]);
    expect(assignment?.path).toBe('emergent/sourdough');
    expect(assignment?.weight).toBeGreaterThanOrEqual(EMERGENT_ASSIGN_SIMILARITY);
    expect(pathsFor('Kubernetes operators for Postgres', [topic])).not.toContain('emergent/sourdough');
  });

  it('keeps at most MAX_TOPICS_PER_SIGNAL topics, the strongest first', () => {
    const text = 'LLM agents with RAG on Kubernetes using Postgres, a CVE exploit, Rust, GPU inference, privacy and AWS';
    const assignments = assignTopics(features(text), taxonomy, []);
    expect(assignments).toHaveLength(MAX_TOPICS_PER_SIGNAL);
    const weights = assignments.map((assignment) => assignment.weight);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
  });
});
