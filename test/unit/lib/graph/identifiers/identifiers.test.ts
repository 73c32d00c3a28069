import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arxivIdOfDoi, arxivIdOfUrl, arxivMentions } from '../../../../../lib/graph/identifiers/arxiv.js';
import { doiMentions, doiOfUrl } from '../../../../../lib/graph/identifiers/doi.js';
import { githubMentions, githubRepoOfUrl } from '../../../../../lib/graph/identifiers/github.js';
import { extractIdentifiers, MAX_IDENTIFIERS, type IdentifierSource } from '../../../../../lib/graph/identifiers/index.js';
import { identifiersOfUrl } from '../../../../../lib/graph/identifiers/url.js';

describe('arXiv identifiers', () => {
  it.each([
    ['https://arxiv.org/abs/2401.01234v2', '2401.01234'],
    ['https://arxiv.org/pdf/2401.01234', '2401.01234'],
    ['https://arxiv.org/pdf/2401.01234v3.pdf', '2401.01234'],
    ['https://arxiv.org/html/2401.01234v1', '2401.01234'],
    ['http://export.arxiv.org/abs/1501.0001', '1501.0001'],
    ['https://arxiv.org/abs/cs/0112017v1', 'cs/0112017'],
    ['https://arxiv.org/abs/math.GT/0309136', 'math.GT/0309136'],
    ['https://arxiv.org/abs/HEP-TH/9901001', 'hep-th/9901001'],
  ])('%s is the paper %s, version folded', (url, id) => {
    expect(arxivIdOfUrl(new URL(url))).toBe(id);
  });

  it.each(['https://arxiv.org/list/cs.LG/recent', 'https://example.org/abs/2401.01234', 'https://arxiv.org/abs/2413.01234', 'https://arxiv.org/abs/foo/0112017'])(
    '%s is no paper',
    (url) => {
      expect(arxivIdOfUrl(new URL(url))).toBeUndefined();
    },
  );

  it('finds prefixed, bare and old-style ids in prose, each once', () => {
    const text = 'Builds on arXiv:2401.01234v2 and arXiv 2312.11111, like 2401.01234 and cs/0112017; not 1234.56789 nor 3.14159 nor v2401.01234x.';
    expect(arxivMentions(text, 10)).toEqual([
      { id: '2401.01234', prefixed: true },
      { id: '2312.11111', prefixed: true },
      { id: 'cs/0112017', prefixed: false },
    ]);
  });

  it("reads arXiv's own DOI as the paper", () => {
    expect(arxivIdOfDoi('10.48550/arxiv.2401.01234')).toBe('2401.01234');
    expect(arxivIdOfDoi('10.1000/xyz')).toBeUndefined();
  });
});

describe('DOIs', () => {
  it('finds DOIs in prose without the punctuation around them, lower-cased', () => {
    const text = 'See doi:10.1038/nature12373. Also (10.1016/0370-2693(82)90087-4), and 10.1145/3292500.3330701, 10.1038/NATURE12373!';
    expect(doiMentions(text, 10)).toEqual(['10.1038/nature12373', '10.1016/0370-2693(82)90087-4', '10.1145/3292500.3330701']);
  });

  it('reads doi.org links, and nothing from other hosts', () => {
    expect(doiOfUrl(new URL('https://doi.org/10.1000/ABC%2F1'))).toBe('10.1000/abc/1');
    expect(doiOfUrl(new URL('https://dx.doi.org/10.5555/12345678'))).toBe('10.5555/12345678');
    expect(doiOfUrl(new URL('https://example.org/10.1000/abc'))).toBeUndefined();
  });
});

describe('GitHub repositories', () => {
  it.each([
    ['https://github.com/Acme/Tool', 'acme/tool'],
    ['https://github.com/acme/tool.git', 'acme/tool'],
    ['https://github.com/acme/tool/releases/tag/v1.2.0', 'acme/tool'],
    ['https://github.com/acme/tool/issues/12', 'acme/tool'],
    ['https://github.com/acme/tool/pull/7', 'acme/tool'],
    ['https://github.com/acme/tool/blob/main/README.md', 'acme/tool'],
    ['https://github.com/acme/tool/tree/main/src', 'acme/tool'],
    ['https://www.github.com/acme/tool?tab=readme', 'acme/tool'],
  ])('%s → %s', (url, repo) => {
    expect(githubRepoOfUrl(new URL(url))).toBe(repo);
  });

  it.each(['https://github.com/orgs/acme/people', 'https://github.com/settings/profile', 'https://github.com/features/actions', 'https://github.com/acme', 'https://gitlab.com/acme/tool', 'https://github.com/topics/rust'])(
    '%s is no repository',
    (url) => {
      expect(githubRepoOfUrl(new URL(url))).toBeUndefined();
    },
  );

  it('finds repositories named in prose', () => {
    expect(githubMentions('Code: github.com/acme/tool. Fork at https://github.com/other/tool-2/tree/x, not github.com/orgs/acme.', 10)).toEqual(['acme/tool', 'other/tool-2']);
  });
});

describe('identifiersOfUrl', () => {
  it('gives the artifact a URL points at and the page in canonical form', () => {
    expect(identifiersOfUrl('https://doi.org/10.48550/arXiv.2401.01234')).toEqual({ artifact: 'arxiv:2401.01234', page: 'url:https://doi.org/10.48550/arXiv.2401.01234' });
    expect(identifiersOfUrl('https://WWW.example.org/post/?utm_source=x')).toEqual({ page: 'url:https://example.org/post' });
    expect(identifiersOfUrl('not a url')).toEqual({});
  });
});

const signal = (overrides: Partial<IdentifierSource>): IdentifierSource => ({ source: 'hackernews', kind: 'story', url: 'https://news.ycombinator.com/item?id=1', title: '', text: '', ...overrides });

describe('extractIdentifiers', () => {
  it('makes an arXiv entry the paper itself and reads what its abstract names', () => {
    const found = extractIdentifiers(
      signal({ source: 'arxiv', kind: 'preprint', url: 'https://arxiv.org/abs/2401.01234v2', text: 'Extends arXiv:2301.00001. Code at https://github.com/acme/tool. DOI 10.1000/xyz.' }),
    );
    expect(found).toEqual([
      { identifier: 'url:https://arxiv.org/abs/2401.01234v2', role: 'self' },
      { identifier: 'arxiv:2401.01234', role: 'self' },
      { identifier: 'github:acme/tool', role: 'link' },
      { identifier: 'doi:10.1000/xyz', role: 'named' },
      { identifier: 'arxiv:2301.00001', role: 'named' },
    ]);
  });

  it("makes a story's link its subject, not itself", () => {
    const found = extractIdentifiers(signal({ url: 'https://github.com/acme/tool/blob/main/README.md', title: 'Show HN: Tool' }));
    expect(found).toContainEqual({ identifier: 'github:acme/tool', role: 'subject' });
  });

  it('makes a GitHub release about its repository, and a repository itself', () => {
    expect(extractIdentifiers(signal({ source: 'github', kind: 'release', url: 'https://github.com/acme/tool/releases/tag/v1' }))).toContainEqual({ identifier: 'github:acme/tool', role: 'subject' });
    expect(extractIdentifiers(signal({ source: 'github', kind: 'repository', url: 'https://github.com/acme/tool' }))).toContainEqual({ identifier: 'github:acme/tool', role: 'self' });
  });
});

describe('hostile text', () => {
  const pathological = [
    '10.1234/'.repeat(1),
    ('10.1234/' + 'x'.repeat(190) + ' ').repeat(5000),
    '10.10'.repeat(200_000),
    'https://' + 'a.'.repeat(300_000),
    'github.com/' + 'a-'.repeat(300_000),
    '2401.' + '1'.repeat(500_000),
    'arXiv:'.repeat(150_000),
    ('https://github.com/o' + String(Math.random()).slice(2, 6) + '/r ').repeat(40_000),
  ];

  it.each(pathological.map((text) => [text.slice(0, 24), text] as const))('a megabyte-class input starting %j is scanned in bounded time with bounded identifiers', (_, text) => {
    const started = performance.now();
    const found = extractIdentifiers(signal({ text, title: text.slice(0, 1000) }));
    expect(performance.now() - started).toBeLessThan(500);
    expect(found.length).toBeLessThanOrEqual(MAX_IDENTIFIERS);
  });

  it('a megabyte of DOIs and links yields at most MAX_IDENTIFIERS identifiers, quickly', () => {
    const doi = fc.tuple(fc.integer({ min: 1000, max: 999_999 }), fc.string({ minLength: 1, maxLength: 30, unit: fc.constantFrom('a', 'b', '1', '.', '-', '(', ')', '/') }));
    fc.assert(
      fc.property(fc.array(doi, { minLength: 100, maxLength: 200 }), fc.constantFrom(' ', '\n', ', ', 'https://doi.org/'), (dois, separator) => {
        const chunk = dois.map(([registrant, suffix]) => `10.${String(registrant)}/${suffix}`).join(separator);
        const text = chunk.repeat(Math.ceil(1_000_000 / chunk.length));
        const started = performance.now();
        const found = extractIdentifiers(signal({ text }));
        expect(performance.now() - started).toBeLessThan(500);
        expect(found.length).toBeLessThanOrEqual(MAX_IDENTIFIERS);
      }),
      { numRuns: 20 },
    );
  });
});
