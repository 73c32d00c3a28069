// Text vectors: tokens as documented, vectors deterministic (pinned, so a change cannot slip past
// VECTOR_VERSION), unit length, and texts about the same thing closer than unrelated ones.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeVector, encodeVector } from '../../../../../lib/harvest/topics/vector-codec.js';
import {
  centroid,
  cosine,
  meanPairwiseSimilarity,
  signalText,
  stem,
  textVector,
  tokenize,
  VECTOR_DIMENSIONS,
  VECTOR_VERSION,
} from '../../../../../lib/harvest/topics/vectors.js';

function norm(vector: Float32Array): number {
  return Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
}

describe('tokenize', () => {
  it('lower-cases, drops stop-words, numbers and single characters, and stems', () => {
    expect(tokenize('The Agents are RUNNING 42 embedded models on a GPU in 2026!')).toEqual(['agent', 'run', 'embed', 'model', 'gpu']);
  });

  it('splits on punctuation, so hyphenated and dotted names become phrases', () => {
    expect(tokenize('zero-day in llama.cpp')).toEqual(['zero', 'day', 'llama', 'cpp']);
  });

  it('keeps letters of any script', () => {
    expect(tokenize('Modèle de langue 日本語')).toEqual(['modèle', 'de', 'langue', '日本語']);
  });
});

describe('stem', () => {
  it.each([
    ['agents', 'agent'],
    ['vulnerabilities', 'vulnerability'],
    ['classes', 'class'],
    ['running', 'run'],
    ['embedded', 'embed'],
    ['installed', 'install'],
    ['string', 'string'],
    ['status', 'status'],
    ['analysis', 'analysis'],
    ['gpu', 'gpu'],
  ])('stems %s to %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });
});

describe('textVector', () => {
  it('is the same vector every time for the same text, pinned for this VECTOR_VERSION', () => {
    // Arrange
    const text = 'Mamba state space models beat transformers on long sequences';

    // Act
    const first = textVector(text);
    const second = textVector(text);

    // Assess: a change to tokenising, hashing or weighting must bump VECTOR_VERSION (cached vectors
    // would otherwise be mixed with new ones), and then this pin.
    expect(second).toEqual(first);
    const digest = createHash('sha256').update(Buffer.from(first.buffer)).digest('hex').slice(0, 16);
    expect({ version: VECTOR_VERSION, digest }).toEqual({ version: 1, digest: 'cd7fd65ee1397c99' });
  });

  it('has unit length and VECTOR_DIMENSIONS dimensions, or is all zeros for no words', () => {
    expect(textVector('Kubernetes operator for Postgres backups')).toHaveLength(VECTOR_DIMENSIONS);
    expect(norm(textVector('Kubernetes operator for Postgres backups'))).toBeCloseTo(1, 5);
    expect(norm(textVector('the of and 123'))).toBe(0);
  });

  it('puts texts about the same thing closer than unrelated ones', () => {
    // Arrange
    const mamba = textVector('Mamba state space models beat transformers on long sequences');
    const mamba2 = textVector('New state space model Mamba-2 handles long sequences efficiently');
    const kubernetes = textVector('Kubernetes operator for Postgres backups released');
    const rust = textVector('Rust borrow checker explained for beginners');

    // Act
    const related = cosine(mamba, mamba2);

    // Assess
    expect(related).toBeGreaterThan(0.4);
    expect(related).toBeGreaterThan(cosine(mamba, kubernetes) + 0.3);
    expect(related).toBeGreaterThan(cosine(mamba, rust) + 0.3);
    expect(cosine(mamba, mamba)).toBeCloseTo(1, 5);
  });

  it('ignores case and punctuation', () => {
    expect(cosine(textVector('LLM agents, tool use!'), textVector('llm agents tool use'))).toBeCloseTo(1, 5);
  });
});

describe('cosine, centroid and meanPairwiseSimilarity', () => {
  it('answers 0 for a zero vector and refuses vectors of different lengths', () => {
    expect(cosine(new Float32Array(VECTOR_DIMENSIONS), textVector('rust'))).toBe(0);
    expect(() => cosine(new Float32Array(3), new Float32Array(4))).toThrow(RangeError);
  });

  it('makes a unit-length centroid closer to each member than the members are to each other', () => {
    const a = textVector('rust borrow checker');
    const b = textVector('rust borrow checker lifetimes');
    const center = centroid([a, b]);
    expect(norm(center)).toBeCloseTo(1, 5);
    expect(cosine(center, a)).toBeGreaterThan(cosine(a, b));
    expect(norm(centroid([]))).toBe(0);
  });

  it('gives the mean similarity of all pairs, near 0 for unrelated texts whatever their number', () => {
    const same = [textVector('quantum error correction'), textVector('quantum error correction'), textVector('quantum error correction')];
    const unrelated = ['rust borrow checker', 'kubernetes helm chart', 'quantum error correction', 'sourdough bread recipe'].map(textVector);
    expect(meanPairwiseSimilarity(same)).toBeCloseTo(1, 5);
    expect(Math.abs(meanPairwiseSimilarity(unrelated))).toBeLessThan(0.1);
    expect(meanPairwiseSimilarity(same.slice(0, 1))).toBe(0);
  });
});

describe('signalText', () => {
  it('is the title, the tags and the start of the body', () => {
    const text = signalText({ title: 'T', tags: ['a', 'b'], text: 'x'.repeat(5000) });
    expect(text.startsWith('T\na b\nxxx')).toBe(true);
    expect(text.length).toBe('T\na b\n'.length + 2000);
  });
});

describe('vector codec', () => {
  it('round-trips a vector exactly through 1,368 base64 characters', () => {
    const vector = textVector('Kubernetes operator for Postgres backups released');
    const encoded = encodeVector(vector);
    expect(encoded).toHaveLength(1368);
    expect(decodeVector(encoded)).toEqual(vector);
  });

  it('rejects a value of the wrong size or with non-finite numbers', () => {
    expect(decodeVector(encodeVector(new Float32Array(8)))).toBeUndefined();
    expect(decodeVector('not base64 at all')).toBeUndefined();
    expect(decodeVector(encodeVector(new Float32Array(VECTOR_DIMENSIONS).fill(Number.NaN)))).toBeUndefined();
  });
});
