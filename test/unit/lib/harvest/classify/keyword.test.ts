import { describe, expect, it } from 'vitest';
import { ARTIFACT_KINDS, SIGNAL_KINDS, SIGNAL_SENTIMENTS, type SignalKind } from '../../../../../lib/model/signal.js';
import { classifyByKeywords, type KeywordInput } from '../../../../../lib/harvest/classify/keyword.js';
import { ARTIFACT_CATEGORIES, POST_CATEGORIES } from '../../../../../lib/harvest/types.js';

function post(title: string, text = '', kind: SignalKind = 'post'): KeywordInput {
  return { kind, title, text };
}

describe('classifyByKeywords on posts and stories', () => {
  it.each([
    ['outage', 'GitHub is down for everyone', 'pushes fail with 503'],
    ['security', 'Critical RCE in libfoo (CVE-2025-1234)', ''],
    ['bug', 'The CLI crashes on start', 'stack trace below'],
    ['question', 'Best way to fine-tune a 7B model on one GPU?', ''],
    ['praise', 'Kudos to the team', 'the new docs are excellent'],
    ['other', 'Show HN: a tiny Lisp in 500 lines', 'written over a weekend'],
  ])('puts a clear %s post in its category', (category, title, text) => {
    // Act
    const result = classifyByKeywords(post(title, text));

    // Assess
    expect(result.category).toBe(category);
    expect(result.by).toBe('keyword');
  });

  it('classifies stories like posts', () => {
    // Act
    const result = classifyByKeywords(post('Major outage at a cloud provider', '', 'story'));

    // Assess
    expect(result.category).toBe('outage');
  });

  it('needs more than a single weak hint in the body to leave `other`', () => {
    // Act: "error" is a weight-1 bug cue
    const weak = classifyByKeywords(post('Notes on compilers', 'a long essay, with one error corrected'));
    const inTitle = classifyByKeywords(post('An error in the manual', ''));

    // Assess: the same hint in the title counts twice
    expect(weak.category).toBe('other');
    expect(inTitle.category).toBe('bug');
  });

  it('breaks a tie in favour of the more severe category', () => {
    // Act: "outage" (3) and "vulnerability" (3), in either order
    const result = classifyByKeywords(post('Report', 'an outage after a vulnerability'));
    const swapped = classifyByKeywords(post('Report', 'a vulnerability after an outage'));

    // Assess
    expect(result.category).toBe('outage');
    expect(swapped.category).toBe('outage');
  });

  it('matches case-insensitively, and typographic apostrophes like plain ones', () => {
    // Act
    const result = classifyByKeywords(post('IT DOESN’T WORK', ''));

    // Assess
    expect(result.category).toBe('bug');
  });

  it('reads sentiment: positive, negative, mixed, neutral', () => {
    // Act & Assess
    expect(classifyByKeywords(post('Loving the new release, great work')).sentiment).toBe('positive');
    expect(classifyByKeywords(post('This update is terrible and broken')).sentiment).toBe('negative');
    expect(classifyByKeywords(post('Love the design, hate the latency')).sentiment).toBe('mixed');
    expect(classifyByKeywords(post('Release notes for version 2.3')).sentiment).toBe('neutral');
  });

  it('gives urgency from the category and adds urgent cues, capped at 5', () => {
    // Act
    const outage = classifyByKeywords(post('Service outage', ''));
    const urgentOutage = classifyByKeywords(post('Service outage', 'production is down for all users, urgent, data loss'));
    const praise = classifyByKeywords(post('Kudos to the team', ''));

    // Assess
    expect(outage.urgency).toBe(3);
    expect(urgentOutage.urgency).toBe(5);
    expect(praise.urgency).toBe(0);
  });
});

describe('classifyByKeywords on artifacts', () => {
  it.each([
    ['preprint', 'preprint', 'Sparse attention for long documents', 'We propose a method for long inputs.'],
    ['repository', 'open_source_release', 'acme/fastvec', 'Vector search in Rust'],
    ['release', 'open_source_release', 'fastvec v2.0.0', 'Bug fixes'],
    ['preprint', 'breakthrough', 'Superhuman play in Stratego', 'We show for the first time that ...'],
    ['preprint', 'conference', 'Long-context retrieval (NeurIPS 2025)', ''],
    ['repository', 'funding', 'acme/agents', 'Acme raises a $20M Series A to build agents'],
    ['release', 'lab_milestone', 'Introducing Model X: a milestone for the lab', ''],
    ['preprint', 'open_source_release', 'Tiny LMs', 'We release the weights; code is available on github.com/acme/tiny'],
  ] as const)('gives a %s the category %s when its words say so', (kind, category, title, text) => {
    // Act
    const result = classifyByKeywords({ kind, title, text });

    // Assess
    expect(result.category).toBe(category);
  });

  it('keeps the kind’s own category against weak cues', () => {
    // Act: "state-of-the-art" (1) and "grant" (2) in the abstract do not beat the preprint prior
    const result = classifyByKeywords({ kind: 'preprint', title: 'A study', text: 'state-of-the-art results; supported by a grant' });

    // Assess
    expect(result.category).toBe('preprint');
  });

  it('gives artifacts neutral sentiment and urgency only from strong time cues', () => {
    // Act
    const calm = classifyByKeywords({ kind: 'preprint', title: 'A terrible, awful method', text: '' });
    const breaking = classifyByKeywords({ kind: 'release', title: 'Breaking: just released', text: '' });

    // Assess
    expect(calm).toEqual({ category: 'preprint', sentiment: 'neutral', urgency: 0, by: 'keyword' });
    expect(breaking.urgency).toBe(5);
  });
});

describe('classifyByKeywords in general', () => {
  const samples = ['', 'down', 'Why is the API down? urgent!!', 'We propose ... NeurIPS ... funding', 'x'.repeat(5000)];

  it('always answers with allowed values for every kind', () => {
    for (const kind of SIGNAL_KINDS) {
      for (const title of samples) {
        // Act
        const result = classifyByKeywords({ kind, title, text: title });

        // Assess
        const allowed: readonly string[] = (ARTIFACT_KINDS as readonly string[]).includes(kind) ? ARTIFACT_CATEGORIES : POST_CATEGORIES;
        expect(allowed).toContain(result.category);
        expect(SIGNAL_SENTIMENTS).toContain(result.sentiment);
        expect(Number.isInteger(result.urgency) && result.urgency >= 0 && result.urgency <= 5).toBe(true);
      }
    }
  });

  it('is deterministic', () => {
    // Act
    const input = post('Is the API down? Errors everywhere, love the status page though', 'urgent');

    // Assess
    expect(classifyByKeywords(input)).toEqual(classifyByKeywords(input));
  });

  it('classifies thousands of items quickly', () => {
    // Prepare: 1 KB abstracts, the long end of what sources send
    const text = 'We propose a method for sparse attention that outperforms prior work on long documents. '.repeat(12);
    const items = Array.from({ length: 5000 }, (_, i): KeywordInput => ({ kind: i % 2 === 0 ? 'preprint' : 'post', title: `Item ${String(i)} about outages`, text }));

    // Act
    const started = performance.now();
    for (const item of items) classifyByKeywords(item);
    const elapsed = performance.now() - started;

    // Assess: ~25–70 µs an item measured (0.1–0.35 s in all); the bound only catches a regression
    // by an order of magnitude (e.g. compiling the tables per item), not a busy machine
    expect(elapsed).toBeLessThan(5000);
  });
});
