// The firehose rule and the mapping of a watch's filter onto the signals query's filter.
import { describe, expect, it } from 'vitest';
import { matchesEverything, toSignalFilter } from '../../../../lib/delivery/watch-filter.js';

describe('a watch filter', () => {
  it.each([
    [{}, true],
    [{ exclude_terms: ['spam'], exclude_sources: ['x'], exclude_domains: ['a.com'], status: 'active' as const }, true],
    [{ q: '   ' }, true],
    [{ min_score: 0 }, false],
    [{ q: 'rust' }, false],
    [{ kinds: ['preprint' as const] }, false],
    [{ topics: ['security'] }, false],
    [{ source: 'arxiv' }, false],
  ])('%j matches everything: %s', (filter, expected) => {
    expect(matchesEverything(filter)).toBe(expected);
  });

  it('maps onto the signals filter, active signals by default', () => {
    expect(toSignalFilter({ q: 'rust', min_score: 10, tag: ['a'], exclude_domains: ['Medium.com'] })).toMatchObject({
      q: 'rust',
      minScore: 10,
      tags: ['a'],
      status: 'active',
      excludeDomains: ['medium.com'],
    });
    expect(toSignalFilter({ q: 'x', status: 'paused' }).status).toBe('paused');
  });
});
