import { describe, expect, it } from 'vitest';
import { canonicalUrl, dedupeItems } from '../../../../lib/harvest/dedupe.js';

describe('canonicalUrl', () => {
  it.each([
    ['https://WWW.GitHub.com/acme/tool/', 'https://github.com/acme/tool'],
    ['https://example.com/post?utm_source=hn&utm_medium=x&id=3#comments', 'https://example.com/post?id=3'],
    ['https://example.com/p?b=2&a=1', 'https://example.com/p?a=1&b=2'],
    ['http://example.com:8080/x', 'http://example.com:8080/x'],
    ['https://example.com', 'https://example.com'],
    ['  not a url ', 'not a url'],
    ['mailto:someone@example.com', 'mailto:someone@example.com'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalUrl(input)).toBe(expected);
  });
});

describe('dedupeItems', () => {
  const item = (source: string, sourceId: string, url: string, title = sourceId) => ({ source, sourceId, url, title });

  it('keeps the last report of a repeated source item and counts the repeat', () => {
    const result = dedupeItems([item('hackernews', '1', 'https://a.example/1', 'old'), item('hackernews', '1', 'https://a.example/1', 'new')]);

    expect(result.kept).toEqual([item('hackernews', '1', 'https://a.example/1', 'new')]);
    expect(result.repeated).toBe(1);
    expect(result.sameUrl).toBe(0);
  });

  it('keeps the first source of a link two sources report, comparing canonical links', () => {
    const result = dedupeItems([
      item('github', 'r1', 'https://github.com/acme/tool'),
      item('hackernews', 's1', 'https://www.github.com/acme/tool/?utm_source=hn'),
      item('reddit', 'p1', 'https://other.example/'),
    ]);

    expect(result.kept.map((kept) => kept.source)).toEqual(['github', 'reddit']);
    expect(result.sameUrl).toBe(1);
    expect(result.mentions.get(result.kept[0]!)).toBe(1);
    expect(result.mentions.get(result.kept[1]!)).toBeUndefined();
  });

  it('keeps two items of one source that share a link (two stories about one page)', () => {
    const result = dedupeItems([item('hackernews', '1', 'https://a.example/x'), item('hackernews', '2', 'https://a.example/x')]);

    expect(result.kept).toHaveLength(2);
  });
});
