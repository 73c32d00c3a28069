import { describe, expect, it } from 'vitest';
import { compileLexicon, strongest } from '../../../../../lib/harvest/classify/lexicon.js';

describe('compileLexicon', () => {
  const lexicon = compileLexicon(
    {
      bug: [['bug', 2], ['crash*', 2], ['memory leak', 3]],
      security: [['leak*', 2], ["can't log in", 1]],
    },
    2,
  );

  it('matches whole words only', () => {
    // Act
    const scores = lexicon.score('', 'a debugger and a bugfix, no bugs here');

    // Assess
    expect(scores).toEqual({ bug: 0, security: 0 });
  });

  it('matches word endings after a trailing star, and phrases across any whitespace', () => {
    // Act
    const scores = lexicon.score('', "it crashed;\nnow I\tcan't   log in");

    // Assess
    expect(scores).toEqual({ bug: 2, security: 1 });
  });

  it('prefers the longer cue at the same position', () => {
    // Act: "memory leak" is a bug cue, "leak*" a security one
    const scores = lexicon.score('', 'a memory leak in the parser');

    // Assess
    expect(scores).toEqual({ bug: 3, security: 0 });
  });

  it('counts each cue once, at the title weight when it is in the title', () => {
    // Act
    const scores = lexicon.score('bug bug', 'bug bug bug, and leaks');

    // Assess: bug 2 × title 2; leaks once from the text
    expect(scores).toEqual({ bug: 4, security: 2 });
  });

  it('is reusable: a scan does not leak state into the next one', () => {
    // Act
    const first = lexicon.score('crash', 'crash');
    const second = lexicon.score('', 'nothing');

    // Assess
    expect(first.bug).toBe(4);
    expect(second.bug).toBe(0);
  });

  it('refuses a malformed or duplicated cue at compile time', () => {
    // Act & Assess
    expect(() => compileLexicon({ a: [['(bad)', 1]] }, 2)).toThrow(/invalid cue/);
    expect(() => compileLexicon({ a: [['same', 1]], b: [['same', 2]] }, 2)).toThrow(/twice/);
    expect(() => compileLexicon({ a: [['zero', 0]] }, 2)).toThrow(/positive weight/);
  });
});

describe('strongest', () => {
  it('takes the highest score, the earlier label on a tie, nothing below the minimum', () => {
    // Act & Assess
    expect(strongest(['a', 'b', 'c'], { a: 1, b: 3, c: 3 }, 2)).toBe('b');
    expect(strongest(['a', 'b'], { a: 2, b: 2 }, 2)).toBe('a');
    expect(strongest(['a', 'b'], { a: 1, b: 1 }, 2)).toBeUndefined();
  });
});
